package io.sipai.edge.brain.internal;

import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.brain.AgentBrain.Reply;
import io.sipai.edge.brain.AgentBrain.ReplyListener;
import io.sipai.edge.brain.AgentBrain.Speculation;
import io.sipai.edge.brain.AgentBrain;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One call's dialog with an OpenAI-compatible model: the message history sent with every request, and what may
 * enter it. The caller's words enter when they are answered (at once, or when a speculation on them is confirmed);
 * the agent's reply when its stream completed, or, for a reply the caller cut, only what they heard of it. Tool calls
 * whose results never went back because the caller cut in are answered as interrupted, so the next request is still
 * one the API accepts. A speculation streams on a copy of the history and is confirmed only if the history did not
 * change meanwhile and it has not failed (a failed one is dropped, and the turn asks again); a dropped one leaves
 * nothing behind. Thread-safe: used on the call's actor and on the streams'
 * threads.
 */
final class OpenAiConversation implements AgentBrain.Conversation {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INTERRUPTED_RESULT = "{\"interrupted\":\"the caller spoke before this result was "
            + "used; whether the tool ran is not known\"}";

    private final OpenAiBrain brain;
    private final ArrayNode messages;
    private final String model;
    private final ArrayNode tools;
    private final String greeting;
    /** The latest reply that is part of the dialog. */
    private Exchange last;
    /** Counts the history's changes: a speculation started on an older history is stale. */
    private long version;

    OpenAiConversation(OpenAiBrain brain, ArrayNode messages, String model, ArrayNode tools, String greeting) {
        this.brain = brain;
        this.messages = messages;
        this.model = model;
        this.tools = tools;
        this.greeting = greeting;
    }

    /** One reply: whether it is part of the dialog (or never may be), and its assistant message once complete. */
    private static final class Exchange {
        private boolean confirmed;
        private boolean dropped;
        private ObjectNode assistant;
    }

    @Override
    public synchronized Reply respond(BrainInput input, ReplyListener listener) {
        switch (input) {
            case BrainInput.Start start -> {
                return greet(listener);
            }
            case BrainInput.UserText user -> messages.add(user(user.text()));
            case BrainInput.Dtmf dtmf -> messages.add(user("(the caller pressed the keys " + dtmf.digits() + ")"));
            case BrainInput.ToolResults results -> results.results().forEach(r -> messages.addObject()
                    .put("role", "tool").put("tool_call_id", r.call().id()).put("content", r.resultJson()));
        }
        version++;
        Exchange exchange = new Exchange();
        exchange.confirmed = true;
        last = exchange;
        return brain.stream(messages.deepCopy(), model, tools, listener, assistant -> remember(exchange, assistant));
    }

    private Reply greet(ReplyListener listener) {
        if (greeting != null) {
            Exchange greeted = new Exchange();
            greeted.confirmed = true;
            greeted.assistant = messages.addObject().put("role", "assistant").put("content", greeting);
            last = greeted;
            version++;
            listener.text(greeting);
        }
        listener.done(false);
        return () -> {
        };
    }

    @Override
    public synchronized Speculation speculate(BrainInput.UserText input) {
        ArrayNode ahead = messages.deepCopy();
        ahead.add(user(input.text()));
        Exchange exchange = new Exchange();
        ReplyBuffer buffer = new ReplyBuffer();
        Reply reply = brain.stream(ahead, model, tools, buffer, assistant -> remember(exchange, assistant));
        long startedAt = version;
        return new Speculation() {
            @Override
            public Reply confirm(ReplyListener listener) {
                if (buffer.failedUnheard() || !adopt(exchange, input.text(), startedAt)) {
                    drop(exchange);
                    reply.cancel();
                    return null;
                }
                buffer.attach(listener);
                return reply;
            }

            @Override
            public void cancel() {
                drop(exchange);
                reply.cancel();
            }
        };
    }

    /** A speculation's words and (once complete) its reply enter the dialog, unless the dialog moved on. */
    private synchronized boolean adopt(Exchange exchange, String text, long startedAt) {
        if (version != startedAt || exchange.dropped) {
            exchange.dropped = true;
            return false;
        }
        messages.add(user(text));
        exchange.confirmed = true;
        last = exchange;
        if (exchange.assistant != null) {
            messages.add(exchange.assistant);
        }
        version++;
        return true;
    }

    private synchronized void drop(Exchange exchange) {
        exchange.dropped = true;
    }

    @Override
    public synchronized void interrupted(String heardText) {
        Exchange cut = last;
        if (cut == null) {
            return;
        }
        version++;
        if (cut.assistant == null) {
            // Cut before its stream completed: the agent's turn is what the caller heard, and the rest never comes.
            cut.dropped = true;
            if (!heardText.isBlank()) {
                cut.assistant = messages.addObject().put("role", "assistant").put("content", heardText);
            }
            return;
        }
        JsonNode calls = cut.assistant.path("tool_calls");
        if (heardText.isBlank() && calls.isEmpty()) {
            removeLast(cut.assistant);
            return;
        }
        if (heardText.isBlank()) {
            cut.assistant.putNull("content");
        } else {
            cut.assistant.put("content", heardText);
        }
        if (messages.get(messages.size() - 1) == cut.assistant) {
            calls.forEach(call -> messages.addObject().put("role", "tool").put("tool_call_id",
                    call.path("id").asString("")).put("content", INTERRUPTED_RESULT));
        }
    }

    private void removeLast(ObjectNode message) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) == message) {
                messages.remove(i);
                return;
            }
        }
    }

    private synchronized void remember(Exchange exchange, ObjectNode assistant) {
        if (exchange.dropped) {
            return;
        }
        exchange.assistant = assistant;
        if (exchange.confirmed) {
            messages.add(assistant);
            version++;
        }
    }

    private static ObjectNode user(String text) {
        return JSON.createObjectNode().put("role", "user").put("content", text);
    }
}
