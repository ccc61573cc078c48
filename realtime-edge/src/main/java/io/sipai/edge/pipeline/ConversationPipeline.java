package io.sipai.edge.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.common.EndReason;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.asr.TranscriptListener;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.DtmfTones;
import io.sipai.edge.pipeline.internal.PendingTransfer;
import io.sipai.edge.pipeline.internal.Playback;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.session.VoicePipeline;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.edge.tts.TextToSpeech;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.ToolCallCompleted;
import io.sipai.events.ToolCallRequested;
import io.sipai.events.TranscriptChunk;

/**
 * The voice pipeline of one call: caller audio to speech-to-text, the end of the caller's turn (VAD silence or the
 * recognizer's endpoint, whichever comes first) to the brain, the brain's streamed reply sentence by sentence to
 * text-to-speech, and the audio paced to the caller with a mark after each sentence. Caller speech during a reply
 * (for the agent's minimum barge-in time) clears playback, cancels the brain and synthesis, and records what was
 * heard up to the last acknowledged mark. Runs tools, silence prompts and the maximum call duration; a
 * {@code transfer_call} waits until the reply before it was played, then goes through the transport's provider. All state is
 * touched only on the call's {@link CallActor}; provider failures and timeouts end the call with reason ERROR.
 */
public final class ConversationPipeline implements VoicePipeline {

    /** How long a provider may take to end the stream after it accepted a transfer. */
    private static final long TRANSFER_GRACE_MS = 10_000;

    private final PipelineParts parts;
    private final SessionOutput output;
    private final CallActor actor;
    private final Playback playback;
    private final TurnTracker turns;
    private final AtomicInteger utterances = new AtomicInteger();
    private SpeechToText.Stream stt;
    private TextToSpeech.Stream tts;
    private AgentBrain.Conversation conversation;
    private volatile Response response;
    private ScheduledFuture<?> silenceTimer;
    private ScheduledFuture<?> maxDuration;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> transferGrace;
    private boolean prompted;
    private boolean closed;
    private volatile boolean speaking;

    public ConversationPipeline(PipelineParts parts, SessionOutput output, CallActor actor) {
        this.parts = parts;
        this.output = output;
        this.actor = actor;
        this.playback = new Playback(output, parts.timers(), parts.settings().playbackLeadMs(),
                sent -> actor.execute(() -> audioStarted(sent)));
        this.turns = new TurnTracker(output, parts.silenceMs());
        actor.execute(this::start);
    }

    private void start() {
        stt = parts.stt().open(parts.context().callId(), new Transcripts());
        tts = parts.tts().open(parts.context().callId(), parts.voice(), new Audio());
        conversation = parts.brain().start(parts.context());
        maxDuration = actor.schedule(() -> hangup(EndReason.MAX_DURATION, "maximum call duration of "
                + parts.maxDurationSec() + " s reached"), parts.maxDurationSec() * 1000L);
        watchdog = parts.timers().scheduleAtFixedRate(() -> actor.execute(this::checkTimeouts), 250, 250,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        respond(new BrainInput.Start());
    }

    @Override
    public void onAudio(short[] frame, int length, long offsetMs) {
        SpeechToText.Stream current = stt;
        if (current != null) {
            current.audio(frame, length, offsetMs);
        }
    }

    @Override
    public void onSpeechStarted(long offsetMs) {
        long detectedNanos = System.nanoTime();
        actor.execute(() -> {
            turns.speechStarted(offsetMs);
            cancel(silenceTimer);
            prompted = false;
            if (response != null && parts.bargeInEnabled()) {
                long wait = Math.max(0, parts.bargeInMinMs() - parts.vadStartMs());
                Response target = response;
                if (wait == 0) {
                    bargeIn(target, offsetMs, detectedNanos);
                } else {
                    actor.schedule(() -> bargeIn(target, offsetMs, System.nanoTime()), wait);
                }
            }
        });
    }

    @Override
    public void onSpeechEnded(long offsetMs) {
        actor.execute(() -> {
            if (turns.speechEnded(offsetMs)) {
                stt.endOfTurn(turns.startMs(), offsetMs);
            }
        });
    }

    @Override
    public void onText(String text) {
        actor.execute(() -> {
            interrupt(null, 0, System.nanoTime());
            output.emit(TranscriptChunk.newBuilder().setText(text).setIsFinal(true).setConfidence(1f)
                    .setAudioStartMs(0).setAudioEndMs(0).setTurn(turns.turn()).setEngine("text").build());
            respond(new BrainInput.UserText(text));
        });
    }

    @Override
    public void onDtmf(String digits) {
        actor.execute(() -> {
            interrupt(null, 0, System.nanoTime());
            respond(new BrainInput.Dtmf(digits));
        });
    }

    @Override
    public void onMarkPlayed(String name) {
        actor.execute(() -> {
            Response current = response;
            int index = current == null ? -1 : current.indexOf(name);
            if (index >= 0) {
                current.acked = Math.max(current.acked, index + 1);
                finishIfPlayed(current);
            } else if (name != null && name.startsWith("prompt-")) {
                armSilence(parts.silenceHangupMs());
            }
        });
    }

    @Override
    public void close(EndReason reason) {
        actor.execute(() -> {
            closed = true;
            cancel(silenceTimer);
            cancel(maxDuration);
            cancel(watchdog);
            cancel(transferGrace);
            if (response != null && response.reply != null) {
                response.reply.cancel();
            }
            playback.close();
            if (stt != null) {
                stt.close();
            }
            if (tts != null) {
                tts.close();
            }
        });
    }

    /** Whether the agent is replying or playing (for tests and benchmarks). */
    public boolean speaking() {
        return speaking;
    }

    private void respond(BrainInput input) {
        if (closed) {
            return;
        }
        Response next = new Response(parts.context().callId() + "-u" + utterances.incrementAndGet(), turns.turn());
        response = next;
        speaking = true;
        turns.brainRequested(next);
        next.reply = conversation.respond(input, new Reply(next));
    }

    private void bargeIn(Response target, long offsetMs, long detectedNanos) {
        if (target != response || !turns.userSpeaking()) {
            return;
        }
        interrupt(target, offsetMs, detectedNanos);
    }

    private void interrupt(Response target, long offsetMs, long detectedNanos) {
        Response current = response;
        if (current == null || target != null && target != current) {
            return;
        }
        response = null;
        speaking = false;
        if (current.transfer != null && !current.transferStarted) {
            output.emit(completed(current.transfer.call(), false, null,
                    "not transferred: the caller spoke before the transfer started", 0));
        }
        playback.clear();
        output.clear();
        long reactionMs = (System.nanoTime() - detectedNanos) / 1_000_000;
        tts.clear();
        if (current.reply != null) {
            current.reply.cancel();
        }
        if (target != null) {
            output.emit(BargeIn.newBuilder().setUtteranceId(current.sentences.isEmpty() ? null
                    : current.utteranceId).setAudioOffsetMs(offsetMs).setReactionMs(reactionMs).build());
        }
        if (!current.sentences.isEmpty()) {
            String heard = current.heardText();
            output.emit(AgentUtterance.newBuilder().setUtteranceId(current.utteranceId).setText(current.text())
                    .setInterrupted(true).setHeardText(heard).setTurn(current.turn).build());
            conversation.interrupted(heard);
        }
    }

    private void userTurn(String text) {
        if (text.isBlank()) {
            armSilence(parts.silencePromptMs());
            return;
        }
        interrupt(null, 0, System.nanoTime());
        respond(new BrainInput.UserText(text));
    }

    private void brainText(Response r, String delta) {
        if (r != response) {
            return;
        }
        r.lastProgressNanos = System.nanoTime();
        turns.firstToken(r);
        r.splitter.add(delta).forEach(s -> speak(r, s));
    }

    private void speak(Response r, String sentence) {
        int index = r.sentences.size();
        r.sentences.add(sentence);
        if (r.ttsRequestNanos == 0) {
            r.ttsRequestNanos = System.nanoTime();
        }
        output.agentText(sentence);
        tts.speak(r.sentenceId(index), sentence);
    }

    private void brainDone(Response r, boolean endCall) {
        if (r != response) {
            return;
        }
        turns.firstToken(r);
        String rest = r.splitter.flush();
        if (rest != null) {
            speak(r, rest);
        }
        r.brainDone = true;
        r.endCall |= endCall;
        if (!r.toolCalls.isEmpty()) {
            runTools(r);
        }
        finishIfPlayed(r);
    }

    private void runTools(Response r) {
        List<AgentBrain.ToolCall> calls = List.copyOf(r.toolCalls);
        r.toolCalls.clear();
        r.pendingTools = calls.size();
        for (AgentBrain.ToolCall call : calls) {
            output.emit(ToolCallRequested.newBuilder().setToolCallId(call.id()).setName(call.name())
                    .setArgumentsJson(call.argumentsJson()).build());
            long requested = System.nanoTime();
            parts.tools().run(parts.context(), call).thenAccept(outcome -> actor.execute(() -> {
                r.pendingTools--;
                if (outcome.effect() == ToolRunner.Effect.TRANSFER_CALL) {
                    // Runs once the reply played, so the caller hears "I'll put you through" before the hand-over.
                    r.transfer = new PendingTransfer(call, outcome.target(), requested);
                    finishIfPlayed(r);
                    return;
                }
                output.emit(completed(call, outcome.result().success(), outcome.error() == null
                        ? outcome.result().resultJson() : null, outcome.error(), outcome.durationMs()));
                r.toolResults.add(outcome.result());
                effect(r, call, outcome.effect());
                finishIfPlayed(r);
            }));
        }
    }

    private void effect(Response r, AgentBrain.ToolCall call, ToolRunner.Effect effect) {
        switch (effect) {
            case END_CALL -> r.endCall = true;
            case SEND_DTMF -> {
                String digits = PipelineParts.argument(call.argumentsJson(), "digits");
                short[] tones = DtmfTones.of(digits == null ? "" : digits);
                playback.audio(tones, tones.length);
            }
            case NONE, TRANSFER_CALL -> {
                // An HTTP tool: its result goes back to the brain. A transfer never gets here (runTools).
            }
        }
    }

    private void finishIfPlayed(Response r) {
        if (r != response || !r.played() || r.pendingTools > 0 || closed) {
            return;
        }
        if (!r.sentences.isEmpty() && !r.utteranceEmitted) {
            r.utteranceEmitted = true;
            output.emit(AgentUtterance.newBuilder().setUtteranceId(r.utteranceId).setText(r.text())
                    .setInterrupted(false).setHeardText(r.text()).setTurn(r.turn).build());
        }
        if (r.transfer != null) {
            if (!r.transferStarted) {
                startTransfer(r);
            }
        } else if (r.endCall) {
            hangup(EndReason.AGENT_HANGUP, "agent ended the call");
        } else if (!r.toolResults.isEmpty()) {
            respond(new BrainInput.ToolResults(List.copyOf(r.toolResults)));
        } else {
            response = null;
            speaking = false;
            armSilence(parts.silencePromptMs());
        }
    }

    private void startTransfer(Response r) {
        r.transferStarted = true;
        PendingTransfer transfer = r.transfer;
        output.transfer(transfer.target()).whenComplete((how, error) -> actor.execute(() ->
                transferDone(r, transfer, how, error)));
    }

    /**
     * Success: the conversation stops and the call ends as TRANSFERRED when the provider ends the stream (or at
     * once for the own protocol; after a grace period if the provider never does). Failure: the brain gets the
     * error as the tool's result and answers it, so the caller is never left in silence.
     */
    private void transferDone(Response r, PendingTransfer transfer, MediaTransport.Transferred how, Throwable error) {
        long durationMs = (System.nanoTime() - transfer.requestedNanos()) / 1_000_000;
        if (error == null) {
            output.emit(completed(transfer.call(), true, PipelineParts.json(Map.of("transferred", true, "target",
                    transfer.target().uri())), null, durationMs));
            closed = true;
            speaking = false;
            cancel(silenceTimer);
            String detail = "transferred to " + transfer.target().uri();
            if (how == MediaTransport.Transferred.END_NOW) {
                output.hangup(EndReason.TRANSFERRED, detail);
            } else {
                transferGrace = actor.schedule(() -> output.hangup(EndReason.TRANSFERRED, detail
                        + "; the provider did not end the stream"), TRANSFER_GRACE_MS);
            }
            return;
        }
        Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
        String message = "transfer failed: " + (cause instanceof TimeoutException ? "the provider did not answer"
                : cause.getMessage());
        output.emit(completed(transfer.call(), false, null, message, durationMs));
        r.transfer = null;
        r.toolResults.add(new AgentBrain.ToolResult(transfer.call(), false, PipelineParts.json(Map.of("error",
                message))));
        finishIfPlayed(r);
    }

    private static ToolCallCompleted completed(AgentBrain.ToolCall call, boolean success, String resultJson,
                                               String error, long durationMs) {
        return ToolCallCompleted.newBuilder().setToolCallId(call.id()).setName(call.name()).setSuccess(success)
                .setResultJson(resultJson).setError(error).setDurationMs(durationMs).build();
    }

    private void audioStarted(long sentNanos) {
        Response r = response;
        if (r != null) {
            turns.audioSent(r, sentNanos);
        }
    }

    private void armSilence(long delayMs) {
        cancel(silenceTimer);
        if (closed) {
            return;
        }
        silenceTimer = actor.schedule(() -> {
            if (response != null || turns.userSpeaking() || closed) {
                return;
            }
            if (prompted) {
                hangup(EndReason.SILENCE_TIMEOUT, "no caller speech after the silence prompt");
                return;
            }
            prompted = true;
            String id = "prompt-" + utterances.incrementAndGet();
            tts.speak(id, parts.settings().silencePrompt());
        }, delayMs);
    }

    private void checkTimeouts() {
        Response r = response;
        if (r == null || closed) {
            return;
        }
        long now = System.nanoTime();
        if (!r.brainDone && (now - r.lastProgressNanos) / 1_000_000 > parts.settings().brainTimeoutMs()) {
            fail("brain " + parts.brain().name() + ": no reply within " + parts.settings().brainTimeoutMs() + " ms");
        } else if (r.synthesized < r.sentences.size() && r.ttsRequestNanos != 0
                && (now - r.lastProgressNanos) / 1_000_000 > parts.settings().ttsTimeoutMs()) {
            fail("tts " + parts.tts().name() + ": no audio within " + parts.settings().ttsTimeoutMs() + " ms");
        } else if (turns.asrOverdue(parts.settings().asrTimeoutMs())) {
            fail("asr " + parts.stt().engine() + ": no final transcript within " + parts.settings().asrTimeoutMs()
                    + " ms");
        }
    }

    private void fail(String detail) {
        hangup(EndReason.ERROR, detail);
    }

    private void hangup(EndReason reason, String detail) {
        if (!closed) {
            closed = true;
            output.hangup(reason, detail);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The brain's reply, moved onto the actor. */
    private final class Reply implements AgentBrain.ReplyListener {

        private final Response r;

        Reply(Response r) {
            this.r = r;
        }

        @Override
        public void text(String delta) {
            actor.execute(() -> brainText(r, delta));
        }

        @Override
        public void toolCall(AgentBrain.ToolCall call) {
            actor.execute(() -> {
                r.lastProgressNanos = System.nanoTime();
                r.toolCalls.add(call);
                turns.toolRequested(r);
            });
        }

        @Override
        public void done(boolean endCall) {
            actor.execute(() -> brainDone(r, endCall));
        }

        @Override
        public void failed(String error) {
            actor.execute(() -> {
                if (r == response) {
                    fail("brain " + parts.brain().name() + ": " + error);
                }
            });
        }
    }

    /** Transcripts, moved onto the actor. */
    private final class Transcripts implements TranscriptListener {

        @Override
        public void partial(String text, float confidence, long startMs, long endMs) {
            actor.execute(() -> {
                output.transcript(text, false);
                output.emit(chunk(text, false, confidence, startMs, endMs));
            });
        }

        @Override
        public void fin(String text, float confidence, long startMs, long endMs, boolean endOfTurn) {
            actor.execute(() -> {
                if (!text.isBlank()) {
                    output.transcript(text, true);
                    output.emit(chunk(text, true, confidence, startMs, endMs));
                }
                String turnText = turns.finalTranscript(text, endOfTurn);
                if (turnText != null) {
                    userTurn(turnText);
                }
            });
        }

        @Override
        public void failed(String error) {
            actor.execute(() -> fail("asr " + parts.stt().engine() + ": " + error));
        }

        private TranscriptChunk chunk(String text, boolean isFinal, float confidence, long startMs, long endMs) {
            return TranscriptChunk.newBuilder().setText(text).setIsFinal(isFinal).setConfidence(confidence)
                    .setAudioStartMs(startMs).setAudioEndMs(endMs).setTurn(turns.turn())
                    .setEngine(parts.stt().engine()).build();
        }
    }

    /** Synthesized audio, moved onto playback (and the actor for bookkeeping). */
    private final class Audio implements TextToSpeech.AudioListener {

        @Override
        public void audio(String sentenceId, short[] pcm16k, int length) {
            Response r = response;
            boolean prompt = sentenceId.startsWith("prompt-");
            if (prompt || r != null && r.indexOf(sentenceId) >= 0) {
                if (r != null && r.ttsFirstByteNanos == 0) {
                    r.ttsFirstByteNanos = System.nanoTime();
                }
                playback.audio(pcm16k, length);
            }
        }

        @Override
        public void done(String sentenceId) {
            actor.execute(() -> {
                Response r = response;
                if (sentenceId.startsWith("prompt-") || r != null && r.indexOf(sentenceId) >= 0) {
                    if (r != null && r.indexOf(sentenceId) >= 0) {
                        r.synthesized++;
                        r.lastProgressNanos = System.nanoTime();
                    }
                    playback.mark(sentenceId);
                }
            });
        }

        @Override
        public void failed(String error) {
            actor.execute(() -> fail("tts " + parts.tts().name() + ": " + error));
        }
    }
}
