package io.sipai.edge.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.common.EndReason;
import io.sipai.edge.session.SessionOutput;
import io.sipai.events.MachineDetected;
import io.sipai.events.VoicemailLeft;

/**
 * What the {@link VoicemailWatch} of one call makes its conversation do, on the call's actor: write MachineDetected
 * and stop talking, say the voicemail message on its own, write VoicemailLeft once its mark played, end the call as
 * VOICEMAIL.
 */
final class VoicemailActions implements VoicemailWatch.Actions {

    private final SessionOutput output;
    private final CallConversation conversation;
    private final AtomicInteger sentenceIds;
    private final long startedNanos = System.nanoTime();
    private VoicemailLeft messageLeft;

    VoicemailActions(SessionOutput output, CallConversation conversation, AtomicInteger sentenceIds) {
        this.output = output;
        this.conversation = conversation;
        this.sentenceIds = sentenceIds;
    }

    @Override
    public void machine(String method, String detail, String action) {
        output.emit(MachineDetected.newBuilder().setMethod(method).setDetail(detail).setAction(action)
                .setAfterMs((System.nanoTime() - startedNanos) / 1_000_000).build());
        conversation.stopTalking();
    }

    @Override
    public void leaveMessage(String message, boolean beepHeard) {
        messageLeft = VoicemailLeft.newBuilder().setMessage(message).setBeepHeard(beepHeard).build();
        conversation.say(SynthesisEvents.VOICEMAIL + sentenceIds.incrementAndGet(), message);
    }

    @Override
    public void hangUpOnMachine(String detail) {
        conversation.hangup(EndReason.VOICEMAIL, detail);
    }

    /** Whether the mark ends the voicemail message: then VoicemailLeft is written. */
    boolean messagePlayed(String mark) {
        if (mark == null || !mark.startsWith(SynthesisEvents.VOICEMAIL) || messageLeft == null) {
            return false;
        }
        output.emit(messageLeft);
        return true;
    }
}
