package io.sipai.edge.brain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scripted dialog, parsed from {@code AgentConfig.scriptJson} (format in docs/agents.md): a greeting, slots with
 * their values, and states whose intents match caller phrases, slot patterns such as {@code "{day} at {hour}"} or
 * DTMF digits, reply with slot values filled in, may call a tool and move to another state or end the call.
 */
public record Script(String greeting, String noMatch, String toolError, String start, Map<String, List<String>> slots,
                     Map<String, List<Intent>> states, List<Intent> global) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern SLOT_REF = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    /** One thing the caller can say in a state. */
    public record Intent(String name, List<String> phrases, List<String> patterns, String dtmf, String reply,
                         ToolStep tool, String next, boolean end) {
    }

    /** A tool the intent calls before replying; argument values may reference slots. */
    public record ToolStep(String name, Map<String, String> arguments) {
    }

    /** Parses and checks a script. */
    public static Script parse(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("the agent has no scriptJson");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("scriptJson is not valid JSON: " + e.getOriginalMessage());
        }
        Map<String, List<String>> slots = new LinkedHashMap<>();
        root.path("slots").properties().forEach(e -> slots.put(e.getKey(), words(e.getValue().path("values"))));
        Map<String, List<Intent>> states = new LinkedHashMap<>();
        root.path("states").properties().forEach(e -> states.put(e.getKey(), intents(e.getValue().path("intents"))));
        String start = text(root, "start", states.isEmpty() ? null : states.keySet().iterator().next());
        if (start == null || !states.containsKey(start)) {
            throw new IllegalArgumentException("scriptJson needs states and a start state that exists");
        }
        Script script = new Script(text(root, "greeting", null), text(root, "noMatch",
                "Sorry, I did not catch that. Could you say it again?"), text(root, "toolError",
                "Sorry, something went wrong on my side."), start, slots, states, intents(root.path("global")));
        script.check();
        return script;
    }

    /** Every intent of every state plus the global ones. */
    public List<Intent> allIntents() {
        List<Intent> all = new ArrayList<>(global);
        states.values().forEach(all::addAll);
        return all;
    }

    /** Normalizes caller text for matching: lower case, letters, digits, apostrophes and single spaces. */
    public static String normalize(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ")
                .replaceAll("\\s+", " ").strip();
    }

    /** Matches a pattern against normalized text; the slot values it captured, or null. */
    public Map<String, String> match(String pattern, String normalized) {
        List<String> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher m = SLOT_REF.matcher(pattern);
        int last = 0;
        while (m.find()) {
            literal(pattern.substring(last, m.start()), parts);
            names.add(m.group(1));
            parts.add("(" + String.join("|", slots.get(m.group(1)).stream().map(Pattern::quote).toList()) + ")");
            last = m.end();
        }
        literal(pattern.substring(last), parts);
        Matcher found = Pattern.compile("(?:.* )?" + String.join(" ", parts) + "(?: .*)?").matcher(normalized);
        if (!found.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), found.group(i + 1));
        }
        return values;
    }

    private static void literal(String text, List<String> parts) {
        String normalized = normalize(text);
        if (!normalized.isEmpty()) {
            parts.add(Pattern.quote(normalized));
        }
    }

    /** Replaces {@code {slot}} references with the values held; unknown references stay as written. */
    public static String fill(String template, Map<String, String> values) {
        if (template == null) {
            return null;
        }
        Matcher m = SLOT_REF.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(out).toString();
    }

    private void check() {
        for (Intent intent : allIntents()) {
            if (intent.next() != null && !states.containsKey(intent.next())) {
                throw new IllegalArgumentException("intent '" + intent.name() + "' goes to unknown state '"
                        + intent.next() + "'");
            }
            for (String pattern : intent.patterns()) {
                Matcher m = SLOT_REF.matcher(pattern);
                while (m.find()) {
                    if (!slots.containsKey(m.group(1)) || slots.get(m.group(1)).isEmpty()) {
                        throw new IllegalArgumentException("pattern '" + pattern + "' uses slot '" + m.group(1)
                                + "' that has no values");
                    }
                }
            }
        }
    }

    private static List<Intent> intents(JsonNode array) {
        List<Intent> intents = new ArrayList<>();
        for (JsonNode n : array) {
            ToolStep tool = null;
            if (n.has("tool")) {
                Map<String, String> args = new LinkedHashMap<>();
                n.path("tool").path("arguments").properties().forEach(e -> args.put(e.getKey(),
                        e.getValue().asString()));
                tool = new ToolStep(text(n.path("tool"), "name", null), args);
                if (tool.name() == null) {
                    throw new IllegalArgumentException("a tool step needs a name");
                }
            }
            String name = text(n, "name", "intent" + intents.size());
            intents.add(new Intent(name, words(n.path("phrases")), strings(n.path("patterns")), text(n, "dtmf", null),
                    text(n, "reply", null), tool, text(n, "goto", null), n.path("end").asBoolean(false)));
        }
        return intents;
    }

    private static List<String> words(JsonNode array) {
        return strings(array).stream().map(Script::normalize).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asString()));
        return out;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asString();
    }
}
