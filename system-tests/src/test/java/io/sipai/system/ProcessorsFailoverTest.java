package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EndReason;
import io.sipai.events.CallEnded;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.schemas.Topics;
import io.sipai.system.processors.AdmissionRace;
import io.sipai.system.processors.AdmissionReplay;
import io.sipai.system.processors.EdgeCalls;
import io.sipai.system.processors.Failovers;
import io.sipai.system.processors.Inputs;
import io.sipai.system.processors.Outputs;
import io.sipai.system.processors.Redundancy;
import io.sipai.system.processors.TimelineCalls;
import io.sipai.system.support.Deployment;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.events.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two stream-processors instances on the three-broker cluster, under traffic, SIGKILLed one after the other five
 * times (each restarted at once; the next kill once the two are redundant again): {@value TimelineCalls#CALLS}
 * concurrent calls of {@value TimelineCalls#ENTRIES} events spread evenly over the partitions, 30 callers
 * competing for a tenant limit of ten, and calls held by an edge that heartbeats them (one of which loses its edge).
 * Afterwards, read {@code read_committed} as a customer would: every timeline is numbered 1..n without a gap with
 * every eventId once, every acquire has exactly one decision and
 * it is the one a replay of the command log predicts (so no slot was ever granted beyond a limit), the counters the
 * processors serve equal the replay, the call whose edge died ended EDGE_LOST (its edge's late CallEnded is the only
 * record quarantined, AFTER_END: one end per call) and no live call did. Measures the time from each kill until
 * processing resumed on every partition and in admission (goal: p99 at most 10 s) with the failover settings the
 * shipped deploys use (a 2 s session timeout; the dead instance's open transactions aborted by the survivor as soon
 * as the group drops it).
 */
class ProcessorsFailoverTest {

    private static final int KILLS = 5;
    private static final int LIMIT = 10;
    private static final int CALLERS = 30;
    /** As the shipped deploys set it, on brokers whose group.min.session.timeout.ms allows it. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    /**
     * Longer than the kills take (each 20-30 s here, with the wait for redundancy): the last kill's takeover is seen
     * only on traffic written after it. Once it was seen the rest is written at once, so a fast run does not wait out
     * the pacing. 50 calls x 298 events over it (CallRequested goes out before): about 100 events a second, on every
     * partition alike.
     */
    private static final Duration TRAFFIC = Duration.ofSeconds(150);

    private final String run = "fo-" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void twoInstancesUnderTrafficSurviveFiveKillsLosingNothingDuplicatingNothingAndKeepingEveryLimit()
            throws Exception {
        long started = System.nanoTime();
        try (Deployment deployment = Deployment.start(dir)) {
            // given two instances sharing the work
            Map<String, String> settings = Map.of("MAX_CONCURRENT_CALLS", String.valueOf(LIMIT),
                    "TELEPHONY_HEARTBEAT_TIMEOUT_SEC", String.valueOf(HEARTBEAT_TIMEOUT.toSeconds()),
                    "PROCESSORS_SESSION_TIMEOUT_MS", String.valueOf(SESSION_TIMEOUT.toMillis()));
            List<ServiceNode> nodes = List.of(deployment.service("stream-processors", "processors-1", settings),
                    deployment.service("stream-processors", "processors-2", settings));
            nodes.forEach(ServiceNode::start);
            nodes.forEach(node -> node.awaitReady(Deployment.READY));
            long deployedMs = (System.nanoTime() - started) / 1_000_000;
            String servers = deployment.kafka().bootstrapServers();
            try (Inputs inputs = new Inputs(servers); Outputs outputs = new Outputs(servers);
                 EdgeCalls edge = new EdgeCalls(inputs, outputs, run, 5)) {
                // and traffic flowing
                TimelineCalls timeline = new TimelineCalls(inputs, outputs, run);
                timeline.admitAll();
                edge.start(HEARTBEAT_INTERVAL);
                AdmissionRace race = new AdmissionRace(inputs, outputs, run);
                race.start(CALLERS);
                CompletableFuture<Void> played = timeline.play(TRAFFIC);
                Thread.sleep(3_000);

                // when one instance after the other is SIGKILLed and restarted, and an edge dies
                List<Failovers.Resumed> failovers = new ArrayList<>();
                List<Long> redundantAfterMs = new ArrayList<>();
                String dropped = null;
                long droppedAt = 0;
                for (int k = 0; k < KILLS; k++) {
                    ServiceNode victim = nodes.get(k % 2);
                    boolean ranAdmission = victim.status("/admission/counters") == 200;
                    if (k == 1) {
                        dropped = edge.dropOne();
                        droppedAt = System.nanoTime();
                    }
                    Failovers.Kill kill = new Failovers.Kill(victim.name(), System.nanoTime(), ranAdmission);
                    victim.kill();
                    System.out.printf(Locale.ROOT, "processors-failover: SIGKILL %s at %s%n", victim.name(),
                            Instant.now());
                    // Restarted at once, as an orchestrator would (on two cores its JVM's boot competes with the
                    // survivor's takeover: docs/reliability.md has runs restarting it only afterwards, which .ci/run
                    // cannot afford in time).
                    victim.start();
                    failovers.add(awaitResumed(kill, inputs, outputs));
                    if (k < KILLS - 1) {
                        // The next kill is the next single failure: it comes once the restarted instance is ready and
                        // holds a warm copy of every task again (docs/reliability.md measured kills that came
                        // before: the survivor then restores from the changelogs, 16-41 s).
                        victim.awaitReady(Deployment.READY);
                        redundantAfterMs.add(Redundancy.await(nodes, Duration.ofSeconds(90)));
                    }
                }
                timeline.hurry();
                played.get(120, TimeUnit.SECONDS);
                race.stop();

                // then the call whose edge died ended EDGE_LOST, its next heartbeat is refused, and the edge's own
                // late end is not a second end; no live edge call was ended or refused
                long lostAfterMs = awaitEdgeLost(outputs, dropped, droppedAt);
                AdmissionDecision refusal = edge.heartbeatOnce(dropped).get(30, TimeUnit.SECONDS);
                assertThat(((Rejected) refusal.getOutcome()).getLimit()).isEqualTo(AdmissionLimit.ALREADY_RELEASED);
                inputs.send(Events.eventNow(dropped, EdgeCalls.TENANT, Events.ended(EndReason.ERROR)));
                assertThat(edge.refusedHeartbeats()).isEmpty();
                assertThat(outputs.admissionEnds()).extracting(seen -> seen.value().getCallId())
                        .containsExactly(dropped);
                Set<String> live = edge.live();
                edge.close();

                // and every timeline is complete, numbered 1..n, each event once
                await().atMost(Duration.ofSeconds(60)).until(timeline::complete);
                assertThat(timeline.problems()).isEmpty();

                // and every decision is the one the replay of the command log predicts, and so are the counters
                AdmissionReplay.Result replay = awaitCountersEqualReplay(servers, outputs, nodes);
                report(started, deployedMs, failovers, replay, race, lostAfterMs, live.size());
                reportCalmLatency(Failovers.calmLatencies(failovers, inputs, outputs));
                System.out.printf(Locale.ROOT, "RESULT processors-failover: redundant again (every stateful task "
                        + "active on one instance, a caught-up standby on the other) %s ms after the restarted "
                        + "instance was ready%n", redundantAfterMs);
                String droppedCall = dropped;
                await().atMost(Duration.ofSeconds(30)).until(() -> !outputs.quarantined().isEmpty());
                assertThat(outputs.quarantined()).singleElement().satisfies(record -> {
                    assertThat(java.nio.charset.StandardCharsets.UTF_8.decode(record.getKey()).toString()).isEqualTo(droppedCall);
                    assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.AFTER_END);
                });
                List<Long> resumed = failovers.stream().map(f -> f.allMs(Topics.CALL_EVENTS.partitions())
                        .getAsLong()).toList();
                // The goal is p99 <= 10 s (docs/reliability.md has the runs: 6.9-13.0 s). Every kill resumed
                // within 60 s (awaitResumed); the median catches a return to Kafka's 45 s session default without
                // failing on one slow takeover of a machine loaded by other work (a run's median: 5.9-9.1 s,
                // up to 19 s before the calls were spread over every partition and the kills waited for
                // redundancy).
                assertThat(Failovers.percentile(resumed, 50)).as("kill to processing resumed, p50")
                        .isLessThanOrEqualTo(30_000);
            }
        }
    }

    private static Failovers.Resumed awaitResumed(Failovers.Kill kill, Inputs inputs, Outputs outputs) {
        int partitions = Topics.CALL_EVENTS.partitions();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Failovers.Resumed resumed = Failovers.resumed(kill, inputs, outputs, partitions);
            if (resumed.allMs(partitions).isPresent()) {
                return resumed;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("processing did not resume within 60 s of killing " + kill.victim()
                        + ": " + resumed);
            }
            sleep(200);
        }
    }

    private static long awaitEdgeLost(Outputs outputs, String callId, long droppedAt) {
        await().atMost(Duration.ofSeconds(60)).until(() -> outputs.admissionEnds().stream()
                .anyMatch(seen -> seen.value().getCallId().equals(callId)));
        Outputs.Seen<io.sipai.events.CallEvent> lost = outputs.admissionEnds().stream()
                .filter(seen -> seen.value().getCallId().equals(callId)).findFirst().orElseThrow();
        assertThat(((CallEnded) lost.value().getPayload()).getReason()).isEqualTo(EndReason.EDGE_LOST);
        return (lost.at() - droppedAt) / 1_000_000;
    }

    private AdmissionReplay.Result awaitCountersEqualReplay(String servers, Outputs outputs, List<ServiceNode> nodes) {
        Set<String> tenants = new java.util.HashSet<>(Set.of(AdmissionRace.TENANT, EdgeCalls.TENANT));
        for (int t = 0; t < TimelineCalls.TENANTS; t++) {
            tenants.add(TimelineCalls.tenant(t));
        }
        AtomicReference<AdmissionReplay.Result> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            AdmissionReplay.Result replay = AdmissionReplay.replay(AdmissionReplay.commandLog(servers),
                    outputs.decisions().stream().map(Outputs.Seen::value).toList(),
                    tenant -> tenants.contains(tenant) && !tenant.equals(EdgeCalls.TENANT), LIMIT);
            last.set(replay);
            assertThat(replay.problems()).isEmpty();
            assertThat(counters(nodes)).isEqualTo(AdmissionReplay.nonZero(replay.active()));
        });
        return last.get();
    }

    /** The tenants' active slots served by whichever instance runs the admission task (global as "*"). */
    private static Map<String, Integer> counters(List<ServiceNode> nodes) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (ServiceNode node : nodes) {
                HttpResponse<String> response;
                try {
                    response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                            + "/admission/counters")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException notListeningYet) {
                    // The last victim, restarted without waiting, may still be booting: the other one answers.
                    continue;
                }
                if (response.statusCode() == 200) {
                    JsonNode body = JsonMapper.builder().build().readTree(response.body());
                    Map<String, Integer> tenants = new HashMap<>();
                    body.get("tenants").properties().forEach(entry -> tenants.put(entry.getKey(),
                            entry.getValue().get("active").asInt()));
                    int sum = tenants.values().stream().mapToInt(Integer::intValue).sum();
                    assertThat(body.get("global").get("active").asInt()).isEqualTo(sum);
                    return tenants;
                }
            }
        }
        throw new AssertionError("no instance serves the admission counters");
    }

    private void report(long started, long deployedMs, List<Failovers.Resumed> failovers,
                        AdmissionReplay.Result replay, AdmissionRace race, long lostAfterMs, int liveEdgeCalls) {
        int partitions = Topics.CALL_EVENTS.partitions();
        List<Long> all = new ArrayList<>();
        List<Long> timelinePartitions = new ArrayList<>();
        List<Long> admission = new ArrayList<>();
        StringBuilder perKill = new StringBuilder();
        for (Failovers.Resumed failover : failovers) {
            long ms = failover.allMs(partitions).getAsLong();
            all.add(ms);
            timelinePartitions.addAll(failover.timelinePartitionsMs());
            OptionalLong admissionMs = failover.admissionMs();
            admission.add(admissionMs.getAsLong());
            perKill.append(String.format(Locale.ROOT, " %s%s=%d (partitions %s, admission %d)",
                    failover.kill().victim(), failover.kill().ranAdmission() ? "(admission)" : "", ms,
                    failover.timelinePartitionsMs(), admissionMs.getAsLong()));
        }
        System.out.printf(Locale.ROOT, "RESULT processors-failover: kill to processing resumed on every "
                + "partition and in admission p50=%d ms p99=%d ms over %d SIGKILLs (ms:%s)%n",
                Failovers.percentile(all, 50), Failovers.percentile(all, 99), all.size(), perKill);
        System.out.printf(Locale.ROOT, "RESULT processors-failover: per timeline partition p50=%d ms "
                + "p99=%d ms (n=%d); admission p50=%d ms p99=%d ms (n=%d)%n",
                Failovers.percentile(timelinePartitions, 50), Failovers.percentile(timelinePartitions, 99),
                timelinePartitions.size(), Failovers.percentile(admission, 50), Failovers.percentile(admission, 99),
                admission.size());
        System.out.printf(Locale.ROOT, "RESULT processors-failover: %d timelines x %d entries numbered "
                + "1..n, each eventId once; %d acquires (%d granted, %d refused to the racing callers) each with "
                + "one decision equal to the replay, at most %d of limit %d held; counters equal the replay%n",
                TimelineCalls.CALLS, TimelineCalls.ENTRIES, replay.acquires(), race.granted(), race.rejected(),
                replay.maxActive(), LIMIT);
        System.out.printf(Locale.ROOT, "RESULT processors-failover: EDGE_LOST %d ms after the dropped "
                + "edge's last heartbeat (timeout %d s, a failover in between); %d live edge calls never ended%n",
                lostAfterMs, HEARTBEAT_TIMEOUT.toSeconds(), liveEdgeCalls);
        System.out.printf(Locale.ROOT, "RESULT processors-failover: scenario %d s (deployment ready "
                + "after %d s)%n", (System.nanoTime() - started) / 1_000_000_000, deployedMs / 1_000);
    }

    /** Between failovers: how long an event took to its committed entry and a command to its decision. */
    private static void reportCalmLatency(Failovers.Latencies calm) {
        if (calm.eventsMs().isEmpty() || calm.decisionsMs().isEmpty()) {
            System.out.println("RESULT processors-failover: between failovers, nothing was sent in calm times");
            return;
        }
        System.out.printf(Locale.ROOT, "RESULT processors-failover: between failovers, event to committed "
                + "entry p50=%d ms p99=%d ms (n=%d), command to decision p50=%d ms p99=%d ms (n=%d)%n",
                Failovers.percentile(calm.eventsMs(), 50), Failovers.percentile(calm.eventsMs(), 99),
                calm.eventsMs().size(), Failovers.percentile(calm.decisionsMs(), 50),
                Failovers.percentile(calm.decisionsMs(), 99), calm.decisionsMs().size());
        if (calm.readableMs().isEmpty()) {
            return;
        }
        // Where that time goes: the write and its replication, then the processors' transactions.
        System.out.printf(Locale.ROOT, "RESULT processors-failover: between failovers, event to acknowledged "
                + "(acks=all) p50=%d ms p99=%d ms, to readable in %s p50=%d ms p99=%d ms%n",
                Failovers.percentile(calm.ackedMs(), 50), Failovers.percentile(calm.ackedMs(), 99),
                Topics.CALL_EVENTS.name(), Failovers.percentile(calm.readableMs(), 50),
                Failovers.percentile(calm.readableMs(), 99));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
