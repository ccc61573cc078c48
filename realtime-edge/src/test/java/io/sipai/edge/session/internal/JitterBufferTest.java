package io.sipai.edge.session.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class JitterBufferTest {

    private final List<Integer> emitted = new ArrayList<>();
    private final JitterBuffer buffer = new JitterBuffer(4, 8);

    private void offer(long sequence) {
        buffer.offer(sequence, new byte[] {(byte) sequence}, 1, (frame, length) -> emitted.add((int) frame[0]));
    }

    @Test
    void framesInOrderPassStraightThrough() {
        offer(1);
        offer(2);
        offer(3);
        assertThat(emitted).containsExactly(1, 2, 3);
    }

    @Test
    void swappedFramesComeOutInSequenceOrder() {
        offer(1);
        offer(3);
        offer(2);
        offer(5);
        offer(4);
        assertThat(emitted).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aLostFrameIsGivenUpWhenTheWindowIsFull() {
        offer(1);
        for (int seq = 3; seq <= 5; seq++) {
            offer(seq);
        }
        assertThat(emitted).containsExactly(1);
        offer(6);
        assertThat(emitted).containsExactly(1, 3, 4, 5, 6);
        assertThat(buffer.skippedFrames()).isEqualTo(1);
    }

    @Test
    void aFrameArrivingAfterItsTurnIsDroppedAsLate() {
        offer(1);
        offer(2);
        offer(1);
        assertThat(emitted).containsExactly(1, 2);
        assertThat(buffer.lateFrames()).isEqualTo(1);
    }
}
