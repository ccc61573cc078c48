package io.sipai.processors.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;
import io.sipai.events.CallEvent;
import io.sipai.events.SlotReclaimed;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.testing.Broker;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** Admission on the real in-JVM broker under exactly_once_v2. */
class AdmissionOnBrokerTest {

    private static final int REQUESTERS = 8;
    private static final int COMMANDS = 4_000;
    private static final int GLOBAL_LIMIT = 50;

    /** Starts the app and waits until a probe acquire is answered, so the app reads the topic's tail. */
    static String startAndProbe(StreamsApplication app, KafkaProducer<String, AdmissionCommand> producer,
                                KafkaConsumer<String, AdmissionDecision> decisions) {
        app.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
        Set<String> probes = new HashSet<>();
        List<ConsumerRecord<String, AdmissionDecision>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
            String probe = "probe-" + UUID.randomUUID();
            probes.add(probe);
            producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                    Events.acquire(probe, "probe", null))).get();
            for (int i = 0; i < 5; i++) {
                Broker.poll(decisions, seen);
            }
            return seen.stream().anyMatch(record -> probes.contains(record.key()));
        });
        return seen.stream().filter(record -> probes.contains(record.key())).findFirst().orElseThrow().key();
    }

    @Test
    void eightConcurrentRequestersGetExactlyOneDecisionEachAndGrantedMinusReleasedNeverExceedsTheLimit()
            throws Exception {
        String run = "conc-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        StreamsApplication app = Broker.app("admission-conc", AdmissionTopology.build(AdmissionSettings.of(
                GLOBAL_LIMIT, 10_000, 10_000, Duration.ofMinutes(10))), 10);
        try (KafkaProducer<String, AdmissionCommand> producer = Broker.producer(Topics.CALL_ADMISSION);
             KafkaConsumer<String, AdmissionDecision> decisions = Broker.consumerAtEnd(
                     Topics.CALL_ADMISSION_DECISIONS);
             KafkaConsumer<String, AdmissionCommand> log = Broker.consumerAtEnd(Topics.CALL_ADMISSION)) {
            String probe = startAndProbe(app, producer, decisions);
            producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                    Events.release(probe, "probe", null))).get();

            Set<String> acquireIds = sendConcurrently(producer, run);

            List<ConsumerRecord<String, AdmissionCommand>> commands = new ArrayList<>();
            List<ConsumerRecord<String, AdmissionDecision>> answers = new ArrayList<>();
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Broker.poll(log, commands);
                Broker.poll(decisions, answers);
                assertThat(commands.stream().filter(c -> c.key() != null && c.value().getCallId().startsWith(run)))
                        .hasSize(COMMANDS);
                assertThat(answers.stream().filter(d -> d.key().startsWith(run))).hasSize(acquireIds.size());
            });

            Map<String, AdmissionDecision> byCommand = new HashMap<>();
            answers.stream().filter(d -> d.key().startsWith(run)).forEach(d -> assertThat(
                    byCommand.put(d.value().getCommandId(), d.value())).as("one decision per command").isNull());
            assertThat(byCommand.keySet()).isEqualTo(acquireIds);
            int active = replay(commands, byCommand, run);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    app.<String, Integer>keyValueStore(AdmissionTopology.COUNTERS_STORE).get(CounterKeys.GLOBAL))
                    .isEqualTo(active == 0 ? null : active));
        } finally {
            app.close(Duration.ofSeconds(30));
        }
    }

    /** Replays the command log in order; returns the active slots at the end. */
    private static int replay(List<ConsumerRecord<String, AdmissionCommand>> commands,
                              Map<String, AdmissionDecision> byCommand, String run) {
        int active = 0;
        int max = 0;
        int rejected = 0;
        Set<String> holding = new HashSet<>();
        for (ConsumerRecord<String, AdmissionCommand> record : commands) {
            AdmissionCommand command = record.value();
            if (!command.getCallId().startsWith(run)) {
                continue;
            }
            if (command.getCommand() instanceof AcquireSlot) {
                AdmissionDecision decision = byCommand.get(command.getCommandId());
                if (decision.getOutcome() instanceof Granted granted) {
                    active++;
                    holding.add(command.getCallId());
                    assertThat(granted.getCounters().getGlobalActive()).as("counters match the log").isEqualTo(active);
                } else {
                    rejected++;
                    assertThat(((Rejected) decision.getOutcome()).getLimit()).isEqualTo(AdmissionLimit.GLOBAL);
                }
            } else if (holding.remove(command.getCallId())) {
                active--;
            }
            max = Math.max(max, active);
        }
        assertThat(max).isLessThanOrEqualTo(GLOBAL_LIMIT);
        assertThat(rejected).as("the limit was actually reached").isPositive();
        return active;
    }

    private static Set<String> sendConcurrently(KafkaProducer<String, AdmissionCommand> producer, String run)
            throws Exception {
        Set<String> acquireIds = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTERS);
        try {
            List<Future<?>> requesters = new ArrayList<>();
            for (int r = 0; r < REQUESTERS; r++) {
                int requester = r;
                requesters.add(pool.submit(() -> {
                    Random random = new Random(requester);
                    List<String> open = new ArrayList<>();
                    for (int n = 0; n < COMMANDS / REQUESTERS; n++) {
                        AdmissionCommand command;
                        if (open.isEmpty() || random.nextInt(100) < 55) {
                            String callId = run + requester + "-" + n;
                            open.add(callId);
                            command = Events.acquire(callId, "tenant-" + random.nextInt(4), null);
                            acquireIds.add(command.getCommandId());
                        } else {
                            String callId = open.remove(random.nextInt(open.size()));
                            command = Events.release(callId, "tenant-x", null);
                        }
                        producer.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY,
                                command));
                    }
                    return null;
                }));
            }
            for (Future<?> requester : requesters) {
                requester.get();
            }
            producer.flush();
        } finally {
            pool.shutdown();
        }
        return acquireIds;
    }

    @Test
    void aSlotWhoseHeartbeatsStopIsReclaimedUnderExactlyOnceWithNoInputTraffic() {
        StreamsApplication app = Broker.app("admission-ttl", AdmissionTopology.build(AdmissionSettings.of(
                10, 10, 10, Duration.ofSeconds(1))), 10);
        try (KafkaProducer<String, AdmissionCommand> producer = Broker.producer(Topics.CALL_ADMISSION);
             KafkaConsumer<String, AdmissionDecision> decisions = Broker.consumerAtEnd(
                     Topics.CALL_ADMISSION_DECISIONS);
             KafkaConsumer<String, CallEvent> events = Broker.consumerAtEnd(Topics.CALL_EVENTS)) {

            String held = startAndProbe(app, producer, decisions);

            List<ConsumerRecord<String, CallEvent>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Broker.poll(events, seen);
                assertThat(seen).anySatisfy(record -> {
                    assertThat(record.key()).isEqualTo(held);
                    assertThat(record.value().getPayload()).isInstanceOf(SlotReclaimed.class);
                });
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    app.<String, Integer>keyValueStore(AdmissionTopology.COUNTERS_STORE).get(CounterKeys.GLOBAL))
                    .isNull());
        } finally {
            app.close(Duration.ofSeconds(30));
        }
    }
}
