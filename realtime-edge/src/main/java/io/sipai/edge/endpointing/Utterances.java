package io.sipai.edge.endpointing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the words of a caller's turn say about the turn itself, from the transcript alone: whether they read as a
 * finished utterance (so a short pause may end the turn) or trail off ("and...", "um", a preposition, a number
 * being dictated), and whether they are only a backchannel ("uh-huh", "yeah", "right") that acknowledges the agent
 * rather than takes the turn. English; cheap enough to run on every pause and every partial transcript.
 */
public final class Utterances {

    /** Words after which a speaker goes on: conjunctions, prepositions, determiners, fillers, auxiliaries. */
    private static final Set<String> TRAILING = Set.of(
            "and", "or", "but", "so", "because", "cause", "if", "then", "than", "that", "which", "who", "where",
            "when", "while", "with", "without", "to", "at", "on", "in", "into", "for", "of", "from", "by", "about",
            "like", "as", "after", "before", "until", "between", "the", "a", "an", "my", "your", "our", "their", "his",
            "her", "its", "this", "these", "those", "some", "any", "is", "are", "was", "were", "be", "am", "i", "i'm",
            "we", "it's", "um", "uh", "er", "erm", "em", "hmm", "mm", "well", "also", "would", "could", "can",
            "will", "should", "want", "need", "have", "has", "let's", "going", "gonna", "wanna", "just", "very",
            "really", "maybe", "actually", "basically", "kind", "sort", "plus", "minus", "point", "oh", "i'd", "i'll",
            "i've", "you're", "we're", "they're", "that's", "there's", "it'll", "don't", "didn't", "can't", "think",
            "guess", "mean", "said");
    /** Number words that another number word usually follows ("twenty ... five", "two hundred ... and"). */
    private static final Set<String> OPEN_NUMBERS = Set.of("twenty", "thirty", "forty", "fifty", "sixty",
            "seventy", "eighty", "ninety", "hundred", "thousand", "million");
    private static final Set<String> DIGITS = Set.of("zero", "oh", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine");
    /** A dictated number shorter than this (a phone number has ten) is still being dictated after a pause. */
    private static final int DICTATED_DIGITS = 10;
    private static final Set<String> BACKCHANNEL = Set.of("uh-huh", "uhhuh", "uh", "huh", "mhm", "mhmm", "mm-hmm",
            "mm-hm", "mmhmm", "mmm", "mm", "hmm", "hm", "yeah", "yes", "yep", "yup", "ya", "right", "okay", "ok",
            "sure", "got", "it", "i", "see", "alright", "all", "cool", "great", "oh", "ah", "aha", "gotcha",
            "exactly", "true", "thanks", "thank", "you", "sounds", "good", "perfect", "fine");
    private static final int BACKCHANNEL_WORDS = 3;

    private Utterances() {
    }

    /** Whether {@code text} reads as a finished utterance; false for an empty one. */
    public static boolean complete(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.endsWith(",") || trimmed.endsWith("-") || trimmed.endsWith("...") || trimmed.endsWith("…")) {
            return false;
        }
        List<String> words = words(trimmed);
        if (words.isEmpty()) {
            return false;
        }
        String last = words.getLast();
        return !TRAILING.contains(last) && !OPEN_NUMBERS.contains(last) && !dictating(words);
    }

    /** Whether {@code text} is only a short acknowledgement ("uh-huh", "yeah right", "okay got it"). */
    public static boolean backchannel(String text) {
        List<String> words = words(text == null ? "" : text);
        return !words.isEmpty() && words.size() <= BACKCHANNEL_WORDS && BACKCHANNEL.containsAll(words);
    }

    /** Whether {@code text} holds a word that is not a backchannel (a partial transcript that takes the turn). */
    public static boolean takesTheTurn(String text) {
        List<String> words = words(text == null ? "" : text);
        return words.stream().anyMatch(word -> !BACKCHANNEL.contains(word));
    }

    /**
     * Whether the words end with single digits being read out ("five five five", "5 5 5"), fewer than a phone
     * number's. A number said as one ("1985", "a hundred") is not being dictated.
     */
    private static boolean dictating(List<String> words) {
        int digits = 0;
        for (int i = words.size() - 1; i >= 0 && isDigit(words.get(i)); i--) {
            digits++;
        }
        return digits >= 3 && digits < DICTATED_DIGITS;
    }

    private static boolean isDigit(String word) {
        return DIGITS.contains(word) || word.length() == 1 && Character.isDigit(word.charAt(0));
    }

    /** Lower-case words; punctuation other than in-word apostrophes and hyphens is a separator. */
    static List<String> words(String text) {
        String cleaned = text.toLowerCase(Locale.ROOT).replace('’', '\'')
                .replaceAll("[^a-z0-9'\\- ]", " ").replaceAll("(?<![a-z0-9])['-]|['-](?![a-z0-9])", " ");
        return Arrays.stream(cleaned.split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }
}
