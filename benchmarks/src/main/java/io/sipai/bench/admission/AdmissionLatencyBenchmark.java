package io.sipai.bench.admission;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Load generator: AcquireSlot produced -> AdmissionDecision consumed (read_committed), at a fixed rate, against the
 * admission topology running exactly_once_v2 in this JVM. Each acquire is followed by its release, so the limits
 * never bind. Usage: {@code <bootstrap|embedded> <requests/s> <seconds> <commit.interval.ms> [warm-up seconds]}.
 *
 * <p>The sender parks until each request's scheduled time and a separate thread consumes the decisions with a
 * blocking poll: an earlier version spun on {@code poll(1 ms)} in one loop and took a whole core of the two from the
 * system it measured. The warm-up (default 45 s, unrecorded, same rate) lets the JIT finish: on 2 cores the C2
 * compiler alone used most of a core for the first ~30 s and inflated every tail.
 */
public final class AdmissionLatencyBenchmark {

    private AdmissionLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "embedded";
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long commitMs = args.length > 3 ? Long.parseLong(args[3]) : 10;
        int warmUpSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 45;
        try (LocalStack stack = new LocalStack(bootstrap)) {
            String id = "bench-admission-" + UUID.randomUUID().toString().substring(0, 8);
            StreamsApplication app = new StreamsApplication(KafkaSettings.plaintext(stack.servers()),
                    AdmissionTopology.build(AdmissionSettings.of(10_000, 10_000, 10_000, Duration.ofMinutes(10))),
                    new StreamsApplication.Options(id, Files.createTempDirectory("bench-streams-"),
                            Duration.ofMillis(commitMs), 1, Map.of()));
            app.start();
            while (app.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(100);
            }
            Result warm = run(stack, Math.min(rate, 500), warmUpSeconds);
            Result result = run(stack, rate, seconds);
            app.close(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "warm-up: %s%nadmission rate=%d/s commit.interval.ms=%d: %s%n", warm,
                    rate, commitMs, result);
        }
    }

    record Result(long sent, long decided, double decisionsPerSec, double p50Ms, double p99Ms, double maxMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "sent=%d decided=%d throughput=%.0f decisions/s p50=%.1f ms "
                    + "p99=%.1f ms max=%.1f ms", sent, decided, decisionsPerSec, p50Ms, p99Ms, maxMs);
        }
    }

    static Result run(LocalStack stack, int rate, int seconds) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(60_000_000L, 3);
        AtomicLong decided = new AtomicLong();
        String run = UUID.randomUUID().toString().substring(0, 8) + "-";
        try (KafkaProducer<String, AdmissionCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.servers(), ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"), Topics.CALL_ADMISSION.keySerde().serializer(),
                Topics.CALL_ADMISSION.valueSerde().serializer());
             KafkaConsumer<String, AdmissionDecision> consumer = decisionsConsumer(stack)) {
            long total = (long) rate * seconds;
            long start = System.nanoTime();
            AtomicLong lastDecision = new AtomicLong(start);
            long deadline = start + (seconds + 30) * 1_000_000_000L;
            Thread receiver = Thread.ofPlatform().name("bench-decisions").start(() -> {
                while (decided.get() < total && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, AdmissionDecision> record : consumer.poll(Duration.ofMillis(100))) {
                        Long at = sentAt.remove(record.key());
                        if (at != null) {
                            long now = System.nanoTime();
                            latency.recordValue(Math.max(1, (now - at) / 1_000));
                            decided.incrementAndGet();
                            lastDecision.set(now);
                        }
                    }
                }
            });
            long interval = 1_000_000_000L / rate;
            long sent = 0;
            for (long next = start; sent < total; next += interval) {
                LockSupport.parkNanos(next - System.nanoTime());
                String callId = run + sent;
                sentAt.put(callId, System.nanoTime());
                producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                        command(callId, AcquireSlot.newBuilder().setDirection(CallDirection.INBOUND)
                                .setTransport(Transport.WEBSOCKET).build())));
                producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                        command(callId, ReleaseSlot.newBuilder().build())));
                sent++;
            }
            receiver.join();
            double elapsed = (lastDecision.get() - start) / 1e9;
            return new Result(sent, decided.get(), decided.get() / elapsed, latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
        }
    }

    private static AdmissionCommand command(String callId, Object command) {
        return AdmissionCommand.newBuilder().setCommandId(UUID.randomUUID().toString()).setCallId(callId)
                .setTenantId("bench").setIssuedAt(Instant.now()).setSource(EventSource.API_GATEWAY)
                .setCommand(command).build();
    }

    static KafkaConsumer<String, AdmissionDecision> decisionsConsumer(LocalStack stack) {
        KafkaConsumer<String, AdmissionDecision> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.servers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                Topics.CALL_ADMISSION_DECISIONS.keySerde().deserializer(),
                Topics.CALL_ADMISSION_DECISIONS.valueSerde().deserializer());
        List<TopicPartition> partitions = java.util.stream.IntStream.range(0, Topics.CALL_ADMISSION_DECISIONS
                .partitions()).mapToObj(p -> new TopicPartition(Topics.CALL_ADMISSION_DECISIONS.name(), p)).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
