package io.sipai.processors.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.timeline.internal.TimelineTopology;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The admission and timeline apps as the crash-safety test runs them, in a child JVM it can kill with SIGKILL
 * ({@link #main}) or in the test JVM itself. Both read their input from the earliest offset, so nothing sent while
 * no instance ran is skipped, and fail over fast (short session and transaction timeouts).
 */
public final class CrashableApps {

    /** Printed by {@link #main} once both apps are RUNNING. */
    public static final String RUNNING = "CRASHABLE-APPS-RUNNING";
    /** Limits high enough never to bind, so every acquire is granted. */
    public static final AdmissionSettings LIMITS = AdmissionSettings.of(100_000, 100_000, 100_000,
            Duration.ofMinutes(10));

    private CrashableApps() {
    }

    /** The two apps (admission first), not started. */
    public static List<StreamsApplication> create(String servers, String prefix, Path stateDir) {
        return List.of(app(servers, prefix + "-admission", AdmissionTopology.build(LIMITS), stateDir, 10),
                app(servers, prefix + "-timeline", TimelineTopology.build(), stateDir, 100));
    }

    private static StreamsApplication app(String servers, String applicationId, Topology topology, Path stateDir,
                                          long commitMs) {
        return new StreamsApplication(KafkaSettings.plaintext(servers), topology, new StreamsApplication.Options(
                applicationId, stateDir, Duration.ofMillis(commitMs), 1, Map.of(
                        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest",
                        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 2_000,
                        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500,
                        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 3_000)));
    }

    /** Child JVM entry point: {@code <bootstrap servers> <application id prefix> <state dir>}; runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        List<StreamsApplication> apps = create(args[0], args[1], Path.of(args[2]));
        List<CountDownLatch> running = apps.stream().map(app -> new CountDownLatch(1)).toList();
        for (int i = 0; i < apps.size(); i++) {
            CountDownLatch latch = running.get(i);
            apps.get(i).streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    latch.countDown();
                }
            });
            apps.get(i).start();
        }
        for (CountDownLatch latch : running) {
            latch.await();
        }
        System.out.println(RUNNING);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
