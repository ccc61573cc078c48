package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.common.AdmissionCounters;
import io.sipai.common.EndReason;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.testing.Broker;
import io.sipai.processors.testing.CrashableApps;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of both apps on the real broker under exactly_once_v2: while calls and admission commands flow, the
 * apps' JVM is killed (SIGKILL, no clean commit), restarted on a wiped state directory, killed again mid-catch-up,
 * and restarted over that dirty local state. Afterwards, read read_committed: every call's entries are seq 1..n
 * with each eventId once, each acquire has exactly one decision, and the counters equal what the command log implies.
 */
class CrashSafetyOnBrokerTest {

    private static final int TIMELINE_CALLS = 60;
    private static final int EVENTS_PER_CALL = 25;
    private static final int ADMISSION_CALLS = 300;
    private static final int RELEASE_LAG = 30;
    private static final int SENDS_PER_TICK = 5;

    private final String run = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    private final String tenant = run + "-tenant";
    private final String campaign = run + "-campaign";
    private final List<Process> children = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        pacer.shutdownNow();
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void killedMidTrafficAndRestartedOnWipedAndOnDirtyStateNoEntryIsLostOrDuplicatedAndCountersMatchTheLog()
            throws Exception {
        Path stateDir = Files.createTempDirectory("sipai-crash-");
        try (KafkaProducer<String, CallEvent> events = Broker.producer(Topics.CALL_EVENTS);
             KafkaProducer<String, AdmissionCommand> commands = Broker.producer(Topics.CALL_ADMISSION);
             KafkaConsumer<String, TimelineEntry> entries = Broker.consumerAtEnd(Topics.CALL_TIMELINE_ENTRIES);
             KafkaConsumer<String, CallTimeline> summaries = Broker.consumerAtEnd(Topics.CALL_TIMELINE);
             KafkaConsumer<String, AdmissionDecision> decisions = Broker.consumerAtEnd(
                     Topics.CALL_ADMISSION_DECISIONS);
             KafkaConsumer<String, AdmissionCommand> log = Broker.consumerAtEnd(Topics.CALL_ADMISSION)) {
            List<ConsumerRecord<String, TimelineEntry>> seen = new ArrayList<>();

            // given the apps running in a child JVM and traffic flowing
            Process first = startChild(stateDir, 1);
            Map<String, Set<String>> sentEventIds = new HashMap<>();
            CompletableFuture<Void> traffic = sendTraffic(events, commands, sentEventIds);

            // when the JVM is killed mid-traffic, restarted on a wiped state dir, and killed again mid-catch-up
            int atFirstKill = awaitMoreEntries(entries, seen, 0, 150);
            assertThat(traffic).as("killed while traffic flows").isNotDone();
            first.destroyForcibly().waitFor();
            wipe(stateDir);
            Process second = startChild(stateDir, 2);
            awaitMoreEntries(entries, seen, atFirstKill, 150);
            second.destroyForcibly().waitFor();
            traffic.get(60, TimeUnit.SECONDS);

            // and restarted once more, in this JVM, over the killed instance's local state
            List<StreamsApplication> apps = CrashableApps.create(Broker.servers(), run, stateDir);
            try {
                apps.forEach(StreamsApplication::start);

                // then every timeline entry is there exactly once, numbered 1..n per call
                Map<String, List<TimelineEntry>> byCall = awaitAllEntries(entries, seen);
                sentEventIds.forEach((callId, ids) -> {
                    List<TimelineEntry> written = byCall.get(callId);
                    assertThat(written).extracting(TimelineEntry::getSeq).as(callId)
                            .containsExactlyElementsOf(Stream.iterate(1L, n -> n + 1).limit(EVENTS_PER_CALL).toList());
                    assertThat(written).extracting(TimelineEntry::getEventId).as(callId)
                            .containsExactlyInAnyOrderElementsOf(ids);
                });
                admissionCalls().forEach(callId -> assertThat(byCall.get(callId)).as(callId).singleElement()
                        .satisfies(entry -> assertThat(entry.getEvent().getPayload())
                                .isInstanceOf(CallAdmitted.class)));
                assertFinalSummaries(summaries, sentEventIds.keySet());

                // and each acquire has exactly one decision, and the counters equal what the command log implies
                int active = activeSlotsImpliedBy(log, decisions);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    StreamsApplication admission = apps.getFirst();
                    assertThat(admission.<String, Integer>keyValueStore(AdmissionTopology.COUNTERS_STORE)
                            .get(CounterKeys.tenant(tenant))).isEqualTo(active);
                    assertThat(admission.<String, Integer>keyValueStore(AdmissionTopology.COUNTERS_STORE)
                            .get(CounterKeys.campaign(campaign))).isEqualTo(active);
                });
            } finally {
                apps.forEach(app -> app.close(Duration.ofSeconds(10)));
            }
        }
    }

    private Process startChild(Path stateDir, int n) throws IOException {
        Path output = Files.createTempFile("sipai-crash-child-" + n + "-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, CrashableApps.class.getName(),
                Broker.servers(), run, stateDir.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        children.add(child);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(child.isAlive()).as("child JVM output: %s", output).isTrue();
            return Files.readString(output, StandardCharsets.UTF_8).contains(CrashableApps.RUNNING);
        });
        return child;
    }

    /** Sends every call's events in order, interleaved with acquires and (lagging) releases, at a steady pace. */
    private CompletableFuture<Void> sendTraffic(KafkaProducer<String, CallEvent> events,
                                                KafkaProducer<String, AdmissionCommand> commands,
                                                Map<String, Set<String>> sentEventIds) {
        List<Runnable> sends = new ArrayList<>();
        List<AdmissionCommand> admission = admissionCommands();
        for (int k = 0; k < TIMELINE_CALLS * EVENTS_PER_CALL; k++) {
            String callId = run + "-tl-" + (k % TIMELINE_CALLS);
            CallEvent event = Events.event(callId, run, payload(k / TIMELINE_CALLS));
            sentEventIds.computeIfAbsent(callId, id -> new HashSet<>()).add(event.getEventId());
            sends.add(() -> events.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), callId, event)));
            if (k % 3 == 0 && k / 3 < admission.size()) {
                AdmissionCommand command = admission.get(k / 3);
                sends.add(() -> commands.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(),
                        Topics.ADMISSION_KEY, command)));
            }
        }
        admission.stream().skip(TIMELINE_CALLS * EVENTS_PER_CALL / 3).forEach(command -> sends.add(() ->
                commands.send(new ProducerRecord<>(Topics.CALL_ADMISSION.name(), Topics.ADMISSION_KEY, command))));
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        pacer.scheduleAtFixedRate(() -> {
            for (int i = 0; i < SENDS_PER_TICK && next[0] < sends.size(); i++) {
                sends.get(next[0]++).run();
            }
            if (next[0] == sends.size() && !done.isDone()) {
                events.flush();
                commands.flush();
                done.complete(null);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        return done;
    }

    private static Object payload(int position) {
        return switch (position) {
            case 0 -> Events.requested();
            case 1 -> CallAdmitted.newBuilder().setCounters(AdmissionCounters.newBuilder().setGlobalActive(1)
                    .setGlobalLimit(1).setTenantActive(1).setTenantLimit(1).build())
                    .setLeaseExpiresAt(Events.T0).build();
            case 2 -> Events.started();
            case 3 -> Events.answered();
            case EVENTS_PER_CALL - 1 -> Events.ended(EndReason.CALLER_HANGUP);
            default -> Events.transcript("words " + position, position % 2 == 0, position);
        };
    }

    private List<String> admissionCalls() {
        return Stream.iterate(0, j -> j + 1).limit(ADMISSION_CALLS).map(j -> run + "-adm-" + j).toList();
    }

    /** Acquires for every admission call; two calls in three are released {@value #RELEASE_LAG} acquires later. */
    private List<AdmissionCommand> admissionCommands() {
        List<String> calls = admissionCalls();
        List<AdmissionCommand> commands = new ArrayList<>();
        for (int j = 0; j < ADMISSION_CALLS + RELEASE_LAG; j++) {
            if (j < ADMISSION_CALLS) {
                commands.add(Events.acquire(calls.get(j), tenant, campaign));
            }
            int released = j - RELEASE_LAG;
            if (released >= 0 && released % 3 != 0) {
                commands.add(Events.release(calls.get(released), tenant, campaign));
            }
        }
        return commands;
    }

    /** Waits until more than {@code atLeast} entries of this run beyond {@code from} are committed; returns count. */
    private int awaitMoreEntries(KafkaConsumer<String, TimelineEntry> entries,
                                 List<ConsumerRecord<String, TimelineEntry>> seen, int from, int atLeast) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            Broker.poll(entries, seen);
            return ofThisRun(seen).size() >= from + atLeast;
        });
        return ofThisRun(seen).size();
    }

    private List<ConsumerRecord<String, TimelineEntry>> ofThisRun(List<ConsumerRecord<String, TimelineEntry>> seen) {
        return seen.stream().filter(record -> record.key().startsWith(run)).toList();
    }

    private Map<String, List<TimelineEntry>> awaitAllEntries(KafkaConsumer<String, TimelineEntry> entries,
                                                             List<ConsumerRecord<String, TimelineEntry>> seen) {
        int expected = TIMELINE_CALLS * EVENTS_PER_CALL + ADMISSION_CALLS;
        awaitMoreEntries(entries, seen, 0, expected);
        Map<String, List<TimelineEntry>> byCall = new HashMap<>();
        ofThisRun(seen).forEach(record -> byCall.computeIfAbsent(record.key(), id -> new ArrayList<>())
                .add(record.value()));
        assertThat(byCall.values().stream().mapToInt(List::size).sum()).as("no entry twice").isEqualTo(expected);
        return byCall;
    }

    private static void assertFinalSummaries(KafkaConsumer<String, CallTimeline> summaries, Set<String> calls) {
        Map<String, CallTimeline> latest = new HashMap<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            summaries.poll(Duration.ofMillis(200)).forEach(record -> latest.put(record.key(), record.value()));
            for (String callId : calls) {
                assertThat(latest.get(callId)).as(callId).isNotNull().satisfies(summary -> {
                    assertThat(summary.getStatus()).isEqualTo(CallStatus.ENDED);
                    assertThat(summary.getEntryCount()).isEqualTo(EVENTS_PER_CALL);
                });
            }
        });
    }

    /** Checks one decision per acquire (all granted) and replays the command log; returns the slots still held. */
    private int activeSlotsImpliedBy(KafkaConsumer<String, AdmissionCommand> log,
                                     KafkaConsumer<String, AdmissionDecision> decisions) {
        List<ConsumerRecord<String, AdmissionCommand>> commands = new ArrayList<>();
        List<ConsumerRecord<String, AdmissionDecision>> answers = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Broker.poll(log, commands);
            Broker.poll(decisions, answers);
            assertThat(commands.stream().filter(c -> c.value().getCallId().startsWith(run)
                    && c.value().getCommand() instanceof AcquireSlot)).hasSize(ADMISSION_CALLS);
            assertThat(answers.stream().filter(d -> d.key().startsWith(run))).hasSizeGreaterThanOrEqualTo(
                    ADMISSION_CALLS);
        });
        Map<String, AdmissionDecision> byCommand = new HashMap<>();
        answers.stream().filter(d -> d.key().startsWith(run)).forEach(d -> assertThat(
                byCommand.put(d.value().getCommandId(), d.value())).as("one decision per command").isNull());
        assertThat(byCommand.values()).allSatisfy(d -> assertThat(d.getOutcome()).isInstanceOf(Granted.class));
        Set<String> held = new HashSet<>();
        for (ConsumerRecord<String, AdmissionCommand> record : commands) {
            AdmissionCommand command = record.value();
            if (!command.getCallId().startsWith(run) || !tenant.equals(command.getTenantId())) {
                continue;
            }
            if (command.getCommand() instanceof AcquireSlot) {
                assertThat(byCommand).containsKey(command.getCommandId());
                held.add(command.getCallId());
            } else {
                held.remove(command.getCallId());
            }
        }
        assertThat(held).hasSize(ADMISSION_CALLS - 2 * ADMISSION_CALLS / 3);
        return held.size();
    }

    private static void wipe(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(dir)).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
