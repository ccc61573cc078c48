package io.sipai.edge.pipeline.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the brain's streamed text into sentences, so each sentence goes to text-to-speech as soon as it is complete
 * instead of waiting for the whole reply.
 */
public final class SentenceSplitter {

    private final StringBuilder pending = new StringBuilder();

    /** Adds streamed text; returns the sentences it completed. */
    public List<String> add(String delta) {
        pending.append(delta);
        List<String> sentences = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < pending.length() - 1; i++) {
            char c = pending.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(pending.charAt(i + 1))) {
                addSentence(pending.substring(start, i + 1), sentences);
                start = i + 1;
            }
        }
        pending.delete(0, start);
        return sentences;
    }

    /** The text left when the reply ended, as a last sentence, or null. */
    public String flush() {
        List<String> rest = new ArrayList<>();
        addSentence(pending.toString(), rest);
        pending.setLength(0);
        return rest.isEmpty() ? null : rest.getFirst();
    }

    private static void addSentence(String text, List<String> out) {
        String sentence = text.strip();
        if (!sentence.isEmpty()) {
            out.add(sentence);
        }
    }
}
