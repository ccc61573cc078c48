package io.sipai.edge.voicemail;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells an answering machine's greeting from a person answering, from the first thing the called party said on an
 * outbound call: its words (a machine's greeting names the message, the tone, being unavailable) and its length (a
 * person says "hello?" and waits; a greeting runs on for seconds).
 */
public final class GreetingClassifier {

    /** Speech this long at the start of a call is a recorded greeting whatever its words. */
    public static final long MACHINE_SPEECH_MS = 4_000;
    /** A first utterance at most this long, of at most {@value #HUMAN_MAX_WORDS} words, is a person. */
    public static final long HUMAN_SPEECH_MS = 2_000;
    public static final int HUMAN_MAX_WORDS = 4;

    private static final List<Pattern> MACHINE_PHRASES = List.of(
            "leave (me )?(a |your )?(message|name|number)", "after the (tone|beep)", "at the (tone|beep)",
            "(not|isn't|is not) available", "(can't|cannot|can not) (come to|take|get to) (the phone|your call)",
            "voice ?mail", "mail ?box", "record your message", "(unable|not able) to (answer|take)",
            "you have reached", "you've reached", "i'll (get back|call you back|return your call)",
            "(will|we'll) (get back|return your call)", "the (person|number|subscriber) you (are )?(calling|dialed)")
            .stream().map(p -> Pattern.compile("\\b" + p + "\\b")).toList();

    /** What the first utterance says about who answered. */
    public enum Verdict { HUMAN, MACHINE, UNKNOWN }

    /**
     * @param transcript what the called party said first (final transcript), possibly empty
     * @param speechMs   how long they spoke
     */
    public Verdict classify(String transcript, long speechMs) {
        String text = transcript == null ? "" : transcript.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        if (MACHINE_PHRASES.stream().anyMatch(p -> p.matcher(text).find()) || speechMs >= MACHINE_SPEECH_MS) {
            return Verdict.MACHINE;
        }
        int words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
        if (speechMs <= HUMAN_SPEECH_MS && words <= HUMAN_MAX_WORDS) {
            return Verdict.HUMAN;
        }
        return Verdict.UNKNOWN;
    }
}
