package io.sipai.bench.serde;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.sipai.common.EventSource;
import io.sipai.events.CallEvent;
import io.sipai.events.TranscriptChunk;
import io.sipai.schemas.Topics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the registry serde for the most frequent event (a transcript chunk): every producer and every stream
 * task pays it once per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallEventSerdeBenchmark {

    private Serializer<CallEvent> serializer;
    private Deserializer<CallEvent> deserializer;
    private CallEvent event;
    private byte[] bytes;

    @Setup
    public void setUp() {
        serializer = Topics.CALL_EVENTS.valueSerde().serializer();
        deserializer = Topics.CALL_EVENTS.valueSerde().deserializer();
        event = CallEvent.newBuilder().setEventId("0f8e6c52-8f2a-4d4e-9d59-2b1c3e4f5a6b").setCallId("c-1")
                .setTenantId("t-1").setCampaignId("camp-1").setAgentId("agent-1").setOccurredAt(Instant.now())
                .setSource(EventSource.REALTIME_EDGE)
                .setPayload(TranscriptChunk.newBuilder().setText("I would like to book an appointment")
                        .setIsFinal(true).setConfidence(0.93f).setAudioStartMs(4_380).setAudioEndMs(6_120)
                        .setTurn(1).setEngine("deepgram").build())
                .build();
        bytes = serializer.serialize(Topics.CALL_EVENTS.name(), event);
    }

    @Benchmark
    public byte[] serialize() {
        return serializer.serialize(Topics.CALL_EVENTS.name(), event);
    }

    @Benchmark
    public CallEvent deserialize() {
        return deserializer.deserialize(Topics.CALL_EVENTS.name(), bytes);
    }
}
