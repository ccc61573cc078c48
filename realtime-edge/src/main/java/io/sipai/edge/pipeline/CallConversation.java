package io.sipai.edge.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.config.VoicemailSettings;
import io.sipai.edge.asr.SpeechToText;
import io.sipai.edge.brain.AgentBrain.BrainInput;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.endpointing.EndOfTurn;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.internal.Playback;
import io.sipai.edge.pipeline.internal.Response;
import io.sipai.edge.session.SessionOutput;
import io.sipai.edge.tts.TextToSpeech;
import io.sipai.events.AgentUtterance;
import io.sipai.events.BargeIn;
import io.sipai.events.TranscriptChunk;

/**
 * The coordinator of one call's conversation, behind {@link ConversationPipeline}: caller audio to speech-to-text,
 * the end of the caller's turn (at a pause when its words are finished, else after the VAD's silence, or at the
 * recognizer's endpoint; {@link TurnTracker}, {@link TranscriptEvents}) to the brain (started already on the words
 * of a finished-sounding pause, {@link ReplySpeculation}), the brain's streamed reply
 * sentence by sentence to text-to-speech ({@link SynthesisEvents}), and the audio paced to the caller with a mark
 * after each sentence. Caller speech during a reply that is more than a backchannel ({@link BargeInWatch}) clears
 * playback, cancels the brain and synthesis, and records what was heard up to the last acknowledged mark. Tools run through {@link ToolCalls}; a {@code transfer_call} waits until the reply before it was
 * played, then goes through the transport's provider ({@link ProviderTransfer}); silence prompts, the maximum call
 * duration and provider timeouts are {@link CallTimers}; an outbound call's answering machine detection is
 * {@link VoicemailWatch}. All state is touched only on the call's {@link CallActor}
 * (the reply in progress is also read by the synthesizer's thread); provider failures and timeouts end the call with
 * reason ERROR.
 */
final class CallConversation implements ConversationEvents {

    private final PipelineParts parts;
    private final SessionOutput output;
    private final CallActor actor;
    private final Playback playback;
    private final EngineMeters engines;
    private final TurnTracker turns;
    private final BargeInWatch bargeIns;
    private final ReplySpeculation speculation;
    private final ToolCalls tools;
    private final ProviderTransfer transfer;
    private final CallTimers timers;
    /** Answering machine detection of an outbound call whose agent asks for it; null otherwise. */
    private final VoicemailWatch voicemail;
    private final VoicemailActions machineActions;
    private final AtomicInteger utterances = new AtomicInteger();
    private SpeechToText.Stream stt;
    private TextToSpeech.Stream tts;
    private AgentBrain.Conversation brainConversation;
    private volatile Response response;
    private boolean closed;
    private volatile boolean speaking;

    CallConversation(PipelineParts parts, SessionOutput output, CallActor actor) {
        this.parts = parts;
        this.output = output;
        this.actor = actor;
        this.playback = new Playback(output, parts.timers(), parts.settings().playbackLeadMs(),
                sent -> actor.execute(() -> audioStarted(sent)));
        this.engines = EngineMeters.of(parts);
        this.turns = new TurnTracker(output, parts.silenceMs(), parts.pauseMs(), engines);
        this.bargeIns = new BargeInWatch(parts, actor, turns, () -> response, this::interrupt);
        this.speculation = new ReplySpeculation(parts.settings().speculativeReplies(), engines);
        this.tools = new ToolCalls(parts, output, actor, playback, this);
        this.transfer = new ProviderTransfer(output, actor, parts.settings().transferGraceMs(), this);
        this.timers = new CallTimers(parts, actor, turns, this);
        VoicemailSettings detection = parts.voicemail();
        this.machineActions = new VoicemailActions(output, this, utterances);
        this.voicemail = detection == null || parts.context().direction() != CallDirection.OUTBOUND ? null
                : new VoicemailWatch(detection, actor, machineActions);
    }

    /** Opens the providers' streams and greets the caller; on the actor. */
    void start() {
        stt = parts.stt().open(parts.context().callId(), new TranscriptEvents(parts, output, actor, turns, this));
        tts = parts.tts().open(parts.context().callId(), parts.voice(), new SynthesisEvents(parts, actor, playback,
                this));
        brainConversation = parts.brain().start(parts.context());
        speculation.start(brainConversation);
        timers.start();
        respond(new BrainInput.Start());
    }

    /** A frame of caller audio, on the connection's thread: straight to the recognizer. */
    void audio(short[] frame, int length, long offsetMs) {
        if (voicemail != null) {
            voicemail.audio(frame, length, offsetMs);
        }
        SpeechToText.Stream current = stt;
        if (current != null) {
            current.audio(frame, length, offsetMs);
        }
    }

    /** The caller started speaking; barges in on a reply after the agent's minimum barge-in time. */
    void speechStarted(long offsetMs, long detectedNanos) {
        speculation.cancel();
        if (voicemail != null) {
            voicemail.speechStarted(offsetMs);
            if (voicemail.machine()) {
                return;
            }
        }
        turns.speechStarted(offsetMs);
        timers.callerSpoke();
        bargeIns.speechStarted(offsetMs, detectedNanos);
    }

    /** A short pause of the caller: the turn may end here if its words are a finished utterance. */
    void speechPaused(long offsetMs) {
        if (voicemail == null || !voicemail.deciding() && !voicemail.machine()) {
            turnStep(turns.speechPaused(offsetMs));
        }
    }

    void speechEnded(long offsetMs) {
        if (voicemail != null) {
            voicemail.speechEnded(offsetMs);
        }
        turnStep(turns.speechEnded(offsetMs));
    }

    @Override
    public void turnStep(EndOfTurn.Step step) {
        if (step == EndOfTurn.Step.FINALIZE) {
            stt.endOfTurn(turns.startMs(), turns.silenceOffsetMs());
            boolean deciding = voicemail != null && (voicemail.deciding() || voicemail.machine());
            speculation.finalizing(turns.heardSoFar(), turns.silent(), response == null && !closed && !deciding);
        } else if (step == EndOfTurn.Step.END) {
            turnEnded(turns.endTurn());
        }
    }

    @Override
    public void callerWords(String text) {
        bargeIns.callerWords(text);
    }

    void text(String text) {
        // Typed words are not the turn the speculation waited for, even when they are the same words.
        speculation.cancel();
        interrupt(null, 0, System.nanoTime());
        output.emit(TranscriptChunk.newBuilder().setText(text).setIsFinal(true).setConfidence(1f)
                .setAudioStartMs(0).setAudioEndMs(0).setTurn(turns.turn()).setEngine("text").build());
        respond(new BrainInput.UserText(text));
    }

    void dtmf(String digits) {
        interrupt(null, 0, System.nanoTime());
        respond(new BrainInput.Dtmf(digits));
    }

    void markPlayed(String name) {
        Response current = response;
        int index = current == null ? -1 : current.indexOf(name);
        if (index >= 0) {
            current.acked = Math.max(current.acked, index + 1);
            settled(current);
        } else if (name != null && name.startsWith("prompt-")) {
            timers.armSilence(parts.silenceHangupMs());
        } else if (voicemail != null && machineActions.messagePlayed(name)) {
            voicemail.messageLeft();
        }
    }

    /**
     * The call is over: timers, reply, playback and provider streams stop. A reply the caller was hearing goes into
     * the log as interrupted, with what was heard of it, before the call's end (its caller hung up on it).
     */
    void close() {
        closed = true;
        if (voicemail != null) {
            voicemail.close();
        }
        Response unfinished = response;
        if (unfinished != null && !unfinished.sentences.isEmpty() && !unfinished.utteranceEmitted) {
            unfinished.utteranceEmitted = true;
            output.emit(AgentUtterance.newBuilder().setUtteranceId(unfinished.utteranceId)
                    .setText(unfinished.text()).setInterrupted(true).setHeardText(unfinished.heardText())
                    .setTurn(unfinished.turn).build());
        }
        speculation.cancel();
        timers.close();
        transfer.close();
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
    }

    boolean speaking() {
        return speaking;
    }

    @Override
    public Response response() {
        return response;
    }

    @Override
    public boolean over() {
        return closed;
    }

    private void respond(BrainInput input) {
        if (closed) {
            return;
        }
        Response next = new Response(parts.context().callId() + "-u" + utterances.incrementAndGet(), turns.turn());
        response = next;
        speaking = true;
        turns.brainRequested(next);
        ReplyEvents listener = new ReplyEvents(next, actor, turns, this);
        AgentBrain.Reply speculated = speculation.take(input, listener);
        next.reply = speculated != null ? speculated : brainConversation.respond(input, listener);
    }

    private void interrupt(Response target, long offsetMs, long detectedNanos) {
        Response current = response;
        if (current == null || target != null && target != current) {
            return;
        }
        response = null;
        speaking = false;
        transfer.interrupted(current);
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
        String heard = current.heardText();
        if (!current.sentences.isEmpty()) {
            output.emit(AgentUtterance.newBuilder().setUtteranceId(current.utteranceId).setText(current.text())
                    .setInterrupted(true).setHeardText(heard).setTurn(current.turn).build());
        }
        brainConversation.interrupted(heard);
    }

    /** The caller finished a turn with this text (blank when nothing was recognized). */
    private void turnEnded(String text) {
        if (!answerable(text)) {
            speculation.cancel();
            return;
        }
        interrupt(null, 0, System.nanoTime());
        turns.answered();
        respond(new BrainInput.UserText(text));
    }

    /** Whether an ended turn gets a reply: not a machine's, not a silent one, not a backchannel during a reply. */
    private boolean answerable(String text) {
        if (voicemail != null) {
            voicemail.heard(text);
            if (voicemail.machine()) {
                return false;
            }
        }
        if (text.isBlank()) {
            timers.armSilence(parts.silencePromptMs());
            return false;
        }
        // "uh-huh" while the agent speaks: in the transcript, not a turn (unless the reply ends right after it)
        return !bargeIns.acknowledges(text);
    }

    @Override
    public void replyText(Response r, String delta) {
        if (r != response) {
            return;
        }
        r.lastProgressNanos = System.nanoTime();
        turns.firstToken(r);
        r.splitter.add(delta).forEach(s -> speak(r, s));
    }

    @Override
    public void replyFailed(Response r, String error) {
        if (r == response) {
            vendorFailed(EngineMeters.Stage.LLM, "brain " + parts.brain().name() + ": " + error);
        }
    }

    @Override
    public void vendorFailed(EngineMeters.Stage stage, String detail) {
        if (!over()) {
            engines.failed(stage);
        }
        fail(detail);
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

    @Override
    public void replyDone(Response r, boolean endCall) {
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
            tools.run(r);
        }
        settled(r);
    }

    /** Once the reply played and its tools finished: transfer, hang up, answer the tool results, or listen. */
    @Override
    public void settled(Response r) {
        if (r != response || !r.played() || r.pendingTools > 0 || closed) {
            return;
        }
        if (!r.sentences.isEmpty() && !r.utteranceEmitted) {
            r.utteranceEmitted = true;
            output.emit(AgentUtterance.newBuilder().setUtteranceId(r.utteranceId).setText(r.text())
                    .setInterrupted(false).setHeardText(r.text()).setTurn(r.turn).build());
        }
        if (r.transfer != null) {
            transfer.start(r);
        } else if (r.endCall) {
            hangup(EndReason.AGENT_HANGUP, "agent ended the call");
        } else if (!r.toolResults.isEmpty()) {
            respond(new BrainInput.ToolResults(List.copyOf(r.toolResults)));
        } else {
            response = null;
            speaking = false;
            String late = bargeIns.lateAnswer();
            if (late != null) {
                turns.answered();
                respond(new BrainInput.UserText(late));
            } else {
                timers.armSilence(parts.silencePromptMs());
            }
        }
    }

    /** The provider took the call: the conversation is over, the call ends when the provider ends the stream. */
    @Override
    public void handedOver() {
        closed = true;
        speaking = false;
        timers.cancelSilence();
    }

    private void audioStarted(long sentNanos) {
        Response r = response;
        if (r != null) {
            turns.audioSent(r, sentNanos);
        }
    }

    @Override
    public void promptSilence() {
        tts.speak("prompt-" + utterances.incrementAndGet(), parts.settings().silencePrompt());
    }

    /** A machine answered: stop the reply and the silence prompts. */
    void stopTalking() {
        interrupt(null, 0, System.nanoTime());
        timers.cancelSilence();
    }

    /** Says {@code text} on its own (not a reply), with {@code sentenceId} as its mark. */
    void say(String sentenceId, String text) {
        if (!closed) {
            output.agentText(text);
            tts.speak(sentenceId, text);
        }
    }

    @Override
    public void hangup(EndReason reason, String detail) {
        if (!closed) {
            closed = true;
            output.hangup(reason, detail);
        }
    }
}
