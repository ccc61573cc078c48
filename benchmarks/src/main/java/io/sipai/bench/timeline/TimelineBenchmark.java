package io.sipai.bench.timeline;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.sipai.bench.admission.LocalStack;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.events.CallStarted;
import io.sipai.events.TranscriptChunk;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;
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
 * Load generator for the timeline app (exactly_once_v2, in this JVM): (1) throughput: a backlog of events is
 * written first, then the app is started and the time to emit every entry is measured; (2) visibility: events at
 * a fixed rate, latency from the event's occurredAt (the send time) to its entry consumed read_committed. A warm-up
 * app first works through a backlog of the same size, so (1) runs on a warm JIT and reads both backlogs.
 * Usage: {@code <bootstrap|embedded> <backlog events> <visibility rate/s> <seconds> <commit.interval.ms> <threads>}.
 */
public final class TimelineBenchmark {

    private static final int EVENTS_PER_CALL = 50;

    private TimelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "embedded";
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        long commitMs = args.length > 4 ? Long.parseLong(args[4]) : 100;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        try (LocalStack stack = new LocalStack(bootstrap);
             KafkaProducer<String, CallEvent> producer = producer(stack);
             KafkaConsumer<String, TimelineEntry> entries = entriesConsumer(stack)) {
            String run = UUID.randomUUID().toString().substring(0, 8) + "-";
            writeBacklog(producer, run + "w-", backlog);
            // Warm-up: a first app works through the first backlog so the JIT has compiled the hot paths (on 2
            // cores the C2 compiler otherwise takes most of a core during the measurement).
            StreamsApplication warmUp = app("bench-timeline-warm-" + run, stack, commitMs, threads);
            try {
                warmUp.start();
                long warmEntries = drain(entries, backlog);
                System.out.printf(Locale.ROOT, "warm-up: %d entries%n", warmEntries);
            } finally {
                warmUp.close(Duration.ofSeconds(30));
            }
            writeBacklog(producer, run, backlog);
            seekToEnd(entries);
            // The measured app starts from the beginning of call.events.v1: both backlogs.
            StreamsApplication app = app("bench-timeline-" + run, stack, commitMs, threads);
            long start = System.nanoTime();
            app.start();
            long[] firstAt = new long[2];
            long received = drain(entries, 2L * backlog, firstAt);
            long end = System.nanoTime();
            double throughput = received / ((end - start) / 1e9);
            // Steady state: from the first committed entries to the last, i.e. without startup and rebalance.
            double steady = (received - firstAt[1]) / ((end - firstAt[0]) / 1e9);
            while (app.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(10);
            }
            Histogram visibility = visibility(producer, entries, run + "v-", rate, seconds);
            app.close(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT, "timeline backlog=%d entries=%d threads=%d commit.interval.ms=%d: "
                            + "%.0f events/s first to last entry, %.0f events/s incl. startup%n"
                            + "visibility at %d events/s: p50=%d ms p99=%d ms max=%d ms (n=%d)%n", 2L * backlog,
                    received, threads, commitMs, steady, throughput, rate,
                    visibility.getValueAtPercentile(50), visibility.getValueAtPercentile(99),
                    visibility.getMaxValue(), visibility.getTotalCount());
        }
    }

    private static StreamsApplication app(String id, LocalStack stack, long commitMs, int threads)
            throws Exception {
        return new StreamsApplication(KafkaSettings.plaintext(stack.servers()), TimelineTopology.build(),
                new StreamsApplication.Options(id, Files.createTempDirectory("bench-streams-"),
                        Duration.ofMillis(commitMs), threads, Map.of()));
    }

    private static void writeBacklog(KafkaProducer<String, CallEvent> producer, String run, int events) {
        for (int i = 0; i < events; i++) {
            producer.send(record(run, i, Instant.now()));
        }
        producer.flush();
    }

    private static long drain(KafkaConsumer<String, TimelineEntry> entries, long expected) {
        return drain(entries, expected, new long[2]);
    }

    /** Consumes until {@code expected} entries arrived (or 10 min); {@code firstAt} gets time and size of the first poll. */
    private static long drain(KafkaConsumer<String, TimelineEntry> entries, long expected, long[] firstAt) {
        long start = System.nanoTime();
        long received = 0;
        while (received < expected && System.nanoTime() - start < 600_000_000_000L) {
            int count = entries.poll(Duration.ofMillis(100)).count();
            if (firstAt[0] == 0 && count > 0) {
                firstAt[0] = System.nanoTime();
                firstAt[1] = count;
            }
            received += count;
        }
        return received;
    }

    private static void seekToEnd(KafkaConsumer<String, TimelineEntry> entries) {
        entries.seekToEnd(entries.assignment());
        entries.assignment().forEach(entries::position);
    }

    /** Sends at {@code rate} from a parked sender thread while this thread consumes with a blocking poll. */
    private static Histogram visibility(KafkaProducer<String, CallEvent> producer,
                                        KafkaConsumer<String, TimelineEntry> entries, String run, int rate,
                                        int seconds) throws InterruptedException {
        Histogram histogram = new Histogram(600_000L, 3);
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        Thread sender = Thread.ofPlatform().name("bench-events").start(() -> {
            for (long sent = 0, next = start; sent < total; sent++, next += interval) {
                LockSupport.parkNanos(next - System.nanoTime());
                producer.send(record(run, (int) sent, Instant.now()));
            }
        });
        while (histogram.getTotalCount() < total && System.nanoTime() - start < (seconds + 30) * 1_000_000_000L) {
            for (ConsumerRecord<String, TimelineEntry> record : entries.poll(Duration.ofMillis(100))) {
                if (record.key().startsWith(run)) {
                    histogram.recordValue(Math.max(0, System.currentTimeMillis()
                            - record.value().getOccurredAt().toEpochMilli()));
                }
            }
        }
        sender.join();
        return histogram;
    }

    private static ProducerRecord<String, CallEvent> record(String run, int n, Instant at) {
        String callId = run + (n / EVENTS_PER_CALL);
        int position = n % EVENTS_PER_CALL;
        Object payload = switch (position) {
            case 0 -> CallRequested.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                    .setMetadata(Map.of()).build();
            case 1 -> CallAdmitted.newBuilder().setCounters(AdmissionCounters.newBuilder().setGlobalActive(1)
                    .setGlobalLimit(1).setTenantActive(1).setTenantLimit(1).build()).setLeaseExpiresAt(at).build();
            case 2 -> CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                    .build();
            default -> TranscriptChunk.newBuilder().setText("the caller said something number " + position)
                    .setIsFinal(position % 3 == 0).setConfidence(0.9f).setAudioStartMs(position * 1000L)
                    .setAudioEndMs(position * 1000L + 900).setTurn(position).build();
        };
        return new ProducerRecord<>(Topics.CALL_EVENTS.name(), callId, CallEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setCallId(callId).setTenantId("bench").setOccurredAt(at)
                .setSource(EventSource.REALTIME_EDGE).setPayload(payload).build());
    }

    private static KafkaProducer<String, CallEvent> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.servers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "all"),
                Topics.CALL_EVENTS.keySerde().serializer(), Topics.CALL_EVENTS.valueSerde().serializer());
    }

    private static KafkaConsumer<String, TimelineEntry> entriesConsumer(LocalStack stack) {
        KafkaConsumer<String, TimelineEntry> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.servers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                10_000, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), Topics.CALL_TIMELINE_ENTRIES.keySerde().deserializer(),
                Topics.CALL_TIMELINE_ENTRIES.valueSerde().deserializer());
        List<TopicPartition> partitions = IntStream.range(0, Topics.CALL_TIMELINE_ENTRIES.partitions())
                .mapToObj(p -> new TopicPartition(Topics.CALL_TIMELINE_ENTRIES.name(), p)).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
