package io.sipai.edge.asr.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sipai.edge.brain.Script;

/**
 * Builds the JSGF grammar that the offline recognizer decodes against from an agent's {@link Script}: every intent
 * phrase, and every slot pattern with its slot values as alternatives. Recognition is then limited to what the
 * script can understand, which is what makes an offline recognizer usable on the phone.
 */
public final class JsgfGrammar {

    /** Name of the generated grammar (and of its file, {@code script.gram}). */
    public static final String NAME = "script";

    private static final Pattern SLOT_REF = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    private JsgfGrammar() {
    }

    /** The grammar text. */
    public static String of(Script script) {
        Set<String> alternatives = new LinkedHashSet<>();
        for (Script.Intent intent : script.allIntents()) {
            alternatives.addAll(intent.phrases());
            for (String pattern : intent.patterns()) {
                alternatives.add(pattern(pattern));
            }
        }
        alternatives.remove("");
        if (alternatives.isEmpty()) {
            throw new IllegalArgumentException("the script has no phrases or patterns to recognize");
        }
        StringBuilder out = new StringBuilder("#JSGF V1.0;\ngrammar ").append(NAME).append(";\n");
        out.append("public <utterance> = ").append(String.join("\n    | ", alternatives)).append(";\n");
        for (Map.Entry<String, List<String>> slot : script.slots().entrySet()) {
            out.append("<slot_").append(slot.getKey()).append("> = ")
                    .append(String.join(" | ", slot.getValue())).append(";\n");
        }
        return out.toString();
    }

    private static String pattern(String pattern) {
        List<String> parts = new ArrayList<>();
        Matcher m = SLOT_REF.matcher(pattern);
        int last = 0;
        while (m.find()) {
            addLiteral(pattern.substring(last, m.start()), parts);
            parts.add("<slot_" + m.group(1) + ">");
            last = m.end();
        }
        addLiteral(pattern.substring(last), parts);
        return String.join(" ", parts);
    }

    private static void addLiteral(String text, List<String> parts) {
        String normalized = Script.normalize(text);
        if (!normalized.isEmpty()) {
            parts.add(normalized);
        }
    }
}
