package io.sipai.edge.brain.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.brain.Script;
import io.sipai.edge.session.CallContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The offline agent brain: runs the dialog in {@code AgentConfig.scriptJson} (see {@link Script}). Deterministic:
 * the same caller input in the same state gives the same reply, so tests can assert whole calls. Replies are
 * delivered synchronously, inside {@link Conversation#respond}.
 */
public final class ScriptedBrain implements AgentBrain {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Conversation start(CallContext context) {
        String json = context.agent() == null ? null : context.agent().getScriptJson();
        return new ScriptedConversation(Script.parse(json), context.agent() == null ? null
                : context.agent().getGreeting());
    }

    /** The state of one scripted call. */
    static final class ScriptedConversation implements Conversation {

        private final Script script;
        private final String greeting;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final AtomicInteger toolCalls = new AtomicInteger();
        private String state;
        private Script.Intent pending;

        ScriptedConversation(Script script, String agentGreeting) {
            this.script = script;
            this.greeting = script.greeting() != null ? script.greeting() : agentGreeting;
            this.state = script.start();
        }

        @Override
        public Reply respond(BrainInput input, ReplyListener listener) {
            switch (input) {
                case BrainInput.Start start -> {
                    if (greeting != null) {
                        listener.text(greeting);
                    }
                    listener.done(false);
                }
                case BrainInput.UserText user -> apply(find(Script.normalize(user.text()), null), listener);
                case BrainInput.Dtmf dtmf -> apply(find(null, dtmf.digits()), listener);
                case BrainInput.ToolResults results -> toolsDone(results.results(), listener);
            }
            return () -> {
            };
        }

        String state() {
            return state;
        }

        Map<String, String> values() {
            return values;
        }

        private Script.Intent find(String text, String digits) {
            for (List<Script.Intent> intents : List.of(script.states().get(state), script.global())) {
                for (Script.Intent intent : intents) {
                    if (digits != null ? digits.equals(intent.dtmf()) : matches(intent, text)) {
                        return intent;
                    }
                }
            }
            return null;
        }

        private boolean matches(Script.Intent intent, String text) {
            String padded = " " + text + " ";
            for (String phrase : intent.phrases()) {
                if (padded.contains(" " + phrase + " ")) {
                    return true;
                }
            }
            for (String pattern : intent.patterns()) {
                Map<String, String> captured = script.match(pattern, text);
                if (captured != null) {
                    values.putAll(captured);
                    return true;
                }
            }
            return false;
        }

        private void apply(Script.Intent intent, ReplyListener listener) {
            if (intent == null) {
                listener.text(script.noMatch());
                listener.done(false);
                return;
            }
            if (intent.tool() != null) {
                pending = intent;
                ObjectNode args = JSON.createObjectNode();
                intent.tool().arguments().forEach((k, v) -> args.put(k, Script.fill(v, values)));
                listener.toolCall(new ToolCall("script-" + toolCalls.incrementAndGet(), intent.tool().name(),
                        JSON.writeValueAsString(args)));
                listener.done(false);
                return;
            }
            finish(intent, listener);
        }

        private void toolsDone(List<ToolResult> results, ReplyListener listener) {
            Script.Intent intent = pending;
            pending = null;
            if (intent == null) {
                listener.done(false);
                return;
            }
            for (ToolResult result : results) {
                if (!result.success()) {
                    listener.text(script.toolError());
                    listener.done(false);
                    return;
                }
                remember(result.resultJson());
            }
            finish(intent, listener);
        }

        private void remember(String resultJson) {
            try {
                JsonNode node = resultJson == null ? null : JSON.readTree(resultJson);
                if (node != null && node.isObject()) {
                    node.properties().forEach(e -> {
                        if (e.getValue().isValueNode()) {
                            values.put(e.getKey(), e.getValue().asString());
                        }
                    });
                }
            } catch (JacksonException e) {
                // A tool may answer with plain text; it then fills no values.
            }
        }

        private void finish(Script.Intent intent, ReplyListener listener) {
            if (intent.reply() != null) {
                listener.text(Script.fill(intent.reply(), values));
            }
            if (intent.next() != null) {
                state = intent.next();
            }
            listener.done(intent.end());
        }
    }
}
