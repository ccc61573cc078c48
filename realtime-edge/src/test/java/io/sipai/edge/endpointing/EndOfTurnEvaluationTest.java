package io.sipai.edge.endpointing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import io.sipai.edge.endpointing.SpokenCorpus.Kind;
import io.sipai.edge.endpointing.SpokenCorpus.Spoken;
import io.sipai.edge.tts.FliteEngine;
import io.sipai.edge.vad.EnergyVad;
import io.sipai.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The end-of-turn evaluation (issue 20): {@value #CASES_PER_LINE} labelled utterances ({@code utterances.tsv}),
 * spoken by flite and mixed with three kinds of line noise, through the edge's own voice activity detector,
 * {@link EndOfTurn} and {@link BargeInRule}, frame by frame as a call feeds them: the fixed end of turn (700 ms of
 * silence, any 200 ms of speech interrupts the agent) against the adaptive one (a 250 ms pause ends a turn whose
 * words are finished; backchannels that stop within 800 ms of their start (as the VAD hears them, 250 ms late) do not interrupt, nor do they make a turn while the agent
 * speaks). The recognizer is modelled as a streaming one that finalizes exactly the words said before it is asked
 * (its errors and its decoding time are not part of this evaluation); the barge-in decision has no partial
 * transcripts, as with the offline recognizer. Prints each policy's rates; asserts what the adaptive one gains.
 */
class EndOfTurnEvaluationTest {

    static final int CASES_PER_LINE = 107;
    private static final int FRAME = 320;
    private static final int VAD_START_MS = 60;
    private static final int SILENCE_MS = 700;
    private static final Policy FIXED = new Policy("fixed", 0, new BargeInRule(200, 0));
    private static final Policy ADAPTIVE = new Policy("adaptive", 250, new BargeInRule(200, 800));

    private static List<Spoken> cases;

    /** An end-of-turn configuration: the pause that may end a turn (0: none) and the barge-in rule. */
    record Policy(String name, int pauseMs, BargeInRule bargeIn) {
    }

    /** What happened to one case: when its turn ended (-1: never), and when the agent was interrupted (-1: never). */
    record Outcome(Spoken spoken, long turnEndMs, String words, long interruptedMs) {

        boolean endedEarly() {
            return turnEndMs >= 0 && turnEndMs < spoken.lastSegmentStartMs();
        }

        long latencyMs() {
            return turnEndMs - spoken.speechEndMs();
        }

        boolean interrupted() {
            return interruptedMs >= 0;
        }

        long reactionMs() {
            return interruptedMs - spoken.speechStartMs();
        }
    }

    @BeforeAll
    static void speak() throws Exception {
        Tools.require("flite", "the evaluation's speaker (Debian package flite)");
        List<SpokenCorpus.Utterance> utterances = SpokenCorpus.load();
        assertThat(utterances).hasSize(CASES_PER_LINE);
        try (FliteEngine flite = FliteEngine.find("flite", 2).orElseThrow()) {
            cases = SpokenCorpus.speak(utterances, flite);
        }
    }

    @Test
    void theAdaptiveEndOfTurnAnswersFinishedTurnsSoonerWithoutCuttingMoreCallersOffOrBargingInOnBackchannels() {
        // given the set on every line, when each policy listens to it
        List<Outcome> fixed = cases.stream().map(spoken -> listen(spoken, FIXED)).toList();
        List<Outcome> adaptive = cases.stream().map(spoken -> listen(spoken, ADAPTIVE)).toList();
        report(FIXED, fixed);
        report(ADAPTIVE, adaptive);

        // then finished turns end much sooner after their last word
        assertThat(median(latencies(adaptive))).isLessThanOrEqualTo(median(latencies(fixed)) - 300);
        // and few callers who pause mid-turn are cut off (the set's pauses are shorter than the fixed silence)
        assertThat(rate(adaptive, Kind.CONTINUED, Outcome::endedEarly)).isLessThanOrEqualTo(0.20);
        // and backchannels no longer interrupt the agent, while every real interruption still does
        assertThat(rate(adaptive, Kind.BACKCHANNEL, Outcome::interrupted)).isLessThanOrEqualTo(0.50)
                .isLessThan(rate(fixed, Kind.BACKCHANNEL, Outcome::interrupted));
        assertThat(rate(adaptive, Kind.BARGE_IN, Outcome::interrupted)).isEqualTo(1.0);
    }

    /** Feeds the case's frames through the VAD, the end of turn and (while the agent speaks) the barge-in rule. */
    private static Outcome listen(Spoken spoken, Policy policy) {
        EnergyVad vad = new EnergyVad(-45, VAD_START_MS, policy.pauseMs(), SILENCE_MS, 20);
        EndOfTurn endOfTurn = new EndOfTurn();
        boolean agentSpeaks = spoken.utterance().kind() == Kind.BACKCHANNEL
                || spoken.utterance().kind() == Kind.BARGE_IN;
        int finalized = 0;
        long speechStartedMs = -1;
        long checkAtMs = -1;
        long interruptedMs = -1;
        short[] frame = new short[FRAME];
        for (int at = 0; at + FRAME <= spoken.pcm().length; at += FRAME) {
            System.arraycopy(spoken.pcm(), at, frame, 0, FRAME);
            long nowMs = (at + FRAME) / SpokenCorpus.RATE;
            EnergyVad.Transition transition = vad.accept(frame, FRAME);
            EndOfTurn.Step step = switch (transition) {
                case SPEECH_STARTED -> endOfTurn.speechStarted();
                case SPEECH_PAUSED -> endOfTurn.speechPaused();
                case SPEECH_ENDED -> endOfTurn.speechEnded();
                case NONE -> EndOfTurn.Step.NONE;
            };
            if (transition == EnergyVad.Transition.SPEECH_STARTED) {
                speechStartedMs = nowMs;
                checkAtMs = nowMs + Math.max(0, policy.bargeIn().minSpeechMs() - VAD_START_MS);
            }
            if (agentSpeaks && interruptedMs < 0 && checkAtMs >= 0 && nowMs >= checkAtMs) {
                checkAtMs = -1;
                if (vad.speaking()) {
                    long more = policy.bargeIn().moreMs(VAD_START_MS + nowMs - speechStartedMs, false);
                    if (more == 0) {
                        interruptedMs = nowMs;
                    } else {
                        checkAtMs = nowMs + more;
                    }
                }
            }
            while (step == EndOfTurn.Step.FINALIZE) {
                int said = saidBy(spoken, nowMs);
                String words = String.join(" ", spoken.utterance().segments().subList(finalized, said));
                finalized = said;
                step = endOfTurn.fin(words, true);
            }
            if (step == EndOfTurn.Step.END) {
                String words = endOfTurn.take();
                boolean acknowledgement = policy.bargeIn().backchannelMs() > 0 && Utterances.backchannel(words);
                if (agentSpeaks && interruptedMs < 0 && !words.isBlank() && !acknowledgement) {
                    interruptedMs = nowMs;
                }
                if (!words.isBlank()) {
                    return new Outcome(spoken, nowMs, words, interruptedMs);
                }
            }
        }
        return new Outcome(spoken, -1, "", interruptedMs);
    }

    /** How many segments have ended by {@code nowMs}: what a streaming recognizer has heard. */
    private static int saidBy(Spoken spoken, long nowMs) {
        int said = 0;
        while (said < spoken.segmentEndMs().length && spoken.segmentEndMs()[said] <= nowMs) {
            said++;
        }
        return said;
    }

    private static void report(Policy policy, List<Outcome> outcomes) {
        for (SpokenCorpus.Noise noise : SpokenCorpus.Noise.values()) {
            List<Outcome> line = outcomes.stream().filter(o -> o.spoken().noise() == noise).toList();
            System.out.printf(Locale.ROOT, "RESULT end-of-turn %s %s: %s%n", policy.name(), noise, rates(line));
        }
        System.out.printf(Locale.ROOT, "RESULT end-of-turn %s all: %s%n", policy.name(), rates(outcomes));
    }

    private static String rates(List<Outcome> outcomes) {
        long[] latency = latencies(outcomes);
        long never = outcomes.stream().filter(o -> o.spoken().utterance().kind() == Kind.COMPLETE
                || o.spoken().utterance().kind() == Kind.CONTINUED).filter(o -> o.turnEndMs() < 0).count();
        return String.format(Locale.ROOT, "turn end after the last word p50 %d ms, p90 %d ms (n=%d, %d never "
                        + "ended); false end of turn %.1f %% of turns with a pause inside (n=%d); false barge-in %.1f %% of "
                        + "backchannels (n=%d); barge-ins that interrupted %.1f %% (n=%d), p50 %d ms after their first word",
                median(latency), percentile(latency, 0.9), latency.length, never,
                100 * rate(outcomes, Kind.CONTINUED, Outcome::endedEarly), count(outcomes, Kind.CONTINUED),
                100 * rate(outcomes, Kind.BACKCHANNEL, Outcome::interrupted), count(outcomes, Kind.BACKCHANNEL),
                100 * rate(outcomes, Kind.BARGE_IN, Outcome::interrupted), count(outcomes, Kind.BARGE_IN),
                median(outcomes.stream().filter(o -> o.spoken().utterance().kind() == Kind.BARGE_IN)
                        .filter(Outcome::interrupted).mapToLong(Outcome::reactionMs).sorted().toArray()));
    }

    /** Turn-end latency of the turns that ended after their last word began. */
    private static long[] latencies(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.spoken().utterance().kind() == Kind.COMPLETE
                        || o.spoken().utterance().kind() == Kind.CONTINUED)
                .filter(o -> o.turnEndMs() >= 0 && !o.endedEarly()).mapToLong(Outcome::latencyMs).sorted().toArray();
    }

    private static double rate(List<Outcome> outcomes, Kind kind, Predicate<Outcome> test) {
        List<Outcome> ofKind = outcomes.stream().filter(o -> o.spoken().utterance().kind() == kind).toList();
        return ofKind.isEmpty() ? 0 : (double) ofKind.stream().filter(test).count() / ofKind.size();
    }

    private static int count(List<Outcome> outcomes, Kind kind) {
        return (int) outcomes.stream().filter(o -> o.spoken().utterance().kind() == kind).count();
    }

    private static long median(long[] sorted) {
        return percentile(sorted, 0.5);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
