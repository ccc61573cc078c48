package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.Topics;
import io.sipai.system.support.AdmissionStandIn;
import io.sipai.system.support.ApiTraffic;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.FakeTwilioApi;
import io.sipai.system.support.GatewayApi;
import io.sipai.system.support.GatewayApi.Answer;
import io.sipai.system.support.ProjectionLagSampler;
import io.sipai.system.support.ReadModelCheck;
import io.sipai.system.support.TimelineFeed;
import io.sipai.system.support.TimelineFeed.RefusedEntry;
import io.sipai.testing.cluster.Database;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * api-gateway on two instances loses nothing while PostgreSQL restarts, then stays down for 10 s, and one instance
 * is SIGKILLed and started again, all under traffic: call timelines and entries of four tenants written to
 * {@code call.timeline.v1} / {@code call.timeline-entries.v1} as stream-processors would, REST reads, agents
 * created and calls placed through both instances (admission granted by a stand-in, the calls originated at a fake
 * Twilio). Afterwards every call and entry written is served by each instance with its newest version, every agent
 * and call the API accepted is there, and an entry PostgreSQL refuses is on {@code call.quarantine.v1} with the
 * reason while the other tenants' records were projected. Meanwhile every answer was a success, a 404 for a call
 * not projected yet, or a 503 {@code database-unavailable} problem within the socket timeout (never a 500, never a
 * hang), and readiness reported the outage and recovered without a restart. Prints {@code RESULT} lines with the
 * times to catch up, the lag and the failover time.
 */
class GatewayFailoverTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);
    /** The gateways' DB_SOCKET_TIMEOUT_SEC: no answer may wait longer for the database. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    /** A request without an answer after this hangs. */
    private static final Duration REQUEST_TIMEOUT = SOCKET_TIMEOUT.plusSeconds(3);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final int TENANTS = 4;

    /** Kept when the scenario fails: the services' and brokers' logs are under it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void givenTwoGatewaysUnderTraffic_whenPostgresqlRestartsAndStopsAndOneIsKilled_thenNothingIsLost() {
        try (Deployment deployment = Deployment.start(dir); FakeTwilioApi twilio = FakeTwilioApi.start()) {
            ServiceNode first = deployment.service("api-gateway", "gateway-1", settings(twilio));
            ServiceNode second = deployment.service("api-gateway", "gateway-2", settings(twilio));
            first.start();
            second.start();
            try (AdmissionStandIn admission = AdmissionStandIn.start(deployment.kafka().bootstrapServers())) {
                first.awaitReady(Deployment.READY);
                second.awaitReady(Deployment.READY);
                scenario(deployment, first, second);
            }
        }
    }

    private static void scenario(Deployment deployment, ServiceNode first, ServiceNode second) {
        // given: four tenants with an agent each, timelines written, REST traffic through both instances
        GatewayApi one = new GatewayApi(first, REQUEST_TIMEOUT);
        GatewayApi two = new GatewayApi(second, REQUEST_TIMEOUT);
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, String> agents = new LinkedHashMap<>();
        for (int i = 1; i <= TENANTS; i++) {
            tenant(one, "tenant-" + i, keys, agents);
        }
        String kafka = deployment.kafka().bootstrapServers();
        try (TimelineFeed feed = TimelineFeed.of(kafka, List.copyOf(keys.keySet()));
             ProjectionLagSampler lag = ProjectionLagSampler.start(deployment.kafka().admin(),
                     "api-gateway-projection", Map.of(Topics.CALL_TIMELINE.name(), Topics.CALL_TIMELINE.partitions(),
                             Topics.CALL_TIMELINE_ENTRIES.name(), Topics.CALL_TIMELINE_ENTRIES.partitions()));
             ApiTraffic traffic = ApiTraffic.start(List.of(one, two), keys, agents, feed)) {
            feed.start(25);
            pause(Duration.ofSeconds(3));
            // when: PostgreSQL restarts, then an entry it refuses arrives amid the other tenants' records
            RefusedEntry refused = restart(deployment.database(), one, keys, feed, lag);
            // and PostgreSQL stays down for 10 s
            outage(deployment.database(), List.of(one, two), keys, feed, lag, traffic);
            // and one instance is SIGKILLed, then started again
            long[] killed = kill(second, one, keys, feed, traffic);
            traffic.close();
            feed.stop();
            // then
            customersSawOnlyCleanAnswers(traffic, second.name(), killed);
            everythingIsServedByEachInstance(List.of(one, two), keys, feed, traffic);
            theRefusedEntryIsQuarantined(kafka, refused);
        }
    }

    private static RefusedEntry restart(Database database, GatewayApi api, Map<String, String> keys,
                                        TimelineFeed feed, ProjectionLagSampler lag) {
        long stop = System.nanoTime();
        database.restart();
        long back = System.nanoTime();
        RefusedEntry refused = feed.refusedEntry(keys.keySet().iterator().next());
        ReadModelCheck.awaitServed(api, keys, feed.sentinels(), CATCH_UP);
        System.out.printf("RESULT gateway-failover: PostgreSQL restarted in %d ms under traffic; projection caught "
                + "up %d ms after it was back; max lag %d records%n", millis(back - stop), since(back),
                lag.maxBetween(stop, System.nanoTime()));
        return refused;
    }

    private static void outage(Database database, List<GatewayApi> apis, Map<String, String> keys,
                               TimelineFeed feed, ProjectionLagSampler lag, ApiTraffic traffic) {
        long stop = System.nanoTime();
        database.stopServer();
        Map<String, Long> notReady = new LinkedHashMap<>();
        List<Integer> liveness = new ArrayList<>();
        while (System.nanoTime() - stop < OUTAGE.toNanos()) {
            for (GatewayApi api : apis) {
                Answer ready = api.get("/health/ready", null);
                if (ready.status() == 503 && ready.json() != null
                        && !ready.json().get("checks").get("postgresql").booleanValue()) {
                    notReady.putIfAbsent(api.name(), since(stop));
                }
                liveness.add(api.get("/health", null).status());
            }
            pause(Duration.ofMillis(500));
        }
        database.startServer();
        long started = System.nanoTime();
        Map<String, Long> readyAgain = awaitReady(apis, started);
        ReadModelCheck.awaitServed(apis.getFirst(), keys, feed.sentinels(), CATCH_UP);
        long caughtUp = since(started);
        List<Answer> refused = traffic.seenBetween(stop, started).stream().map(ApiTraffic.Seen::answer)
                .filter(Answer::databaseUnavailable).toList();
        System.out.printf("RESULT gateway-failover: PostgreSQL down %d s: not ready after %s ms; %d requests "
                + "answered 503 database-unavailable (slowest %d ms); ready again %s ms after it started; projection "
                + "caught up %d ms after it started; max lag %d records%n", OUTAGE.toSeconds(), notReady,
                refused.size(), refused.stream().mapToLong(a -> a.took().toMillis()).max().orElse(0), readyAgain,
                caughtUp, lag.maxBetween(stop, System.nanoTime()));
        assertThat(notReady).as("instances that reported PostgreSQL not ready").hasSize(apis.size());
        assertThat(liveness).as("liveness during the outage").containsOnly(200);
        assertThat(refused.stream().map(Answer::instance).distinct()).as("instances that answered 503")
                .hasSize(apis.size());
    }

    /** SIGKILLs {@code victim}; returns when it was killed and when it was ready again. */
    private static long[] kill(ServiceNode victim, GatewayApi survivor, Map<String, String> keys,
                               TimelineFeed feed, ApiTraffic traffic) {
        traffic.down(victim.name());
        long killed = System.nanoTime();
        victim.kill();
        ReadModelCheck.awaitServed(survivor, keys, feed.sentinels(), CATCH_UP);
        long takenOver = since(killed);
        long restart = System.nanoTime();
        victim.start();
        victim.awaitReady(Deployment.READY);
        long ready = System.nanoTime();
        traffic.up(victim.name());
        System.out.printf("RESULT gateway-failover: %s SIGKILLed: its share of the projection served by %s %d ms "
                + "later; started again and ready in %d ms%n", victim.name(), survivor.name(), takenOver,
                millis(ready - restart));
        return new long[] {killed, ready};
    }

    private static void everythingIsServedByEachInstance(List<GatewayApi> apis, Map<String, String> keys,
                                                         TimelineFeed feed, ApiTraffic traffic) {
        List<TimelineFeed.WrittenCall> sentinels = feed.sentinels();
        apis.forEach(api -> ReadModelCheck.awaitServed(api, keys, sentinels, CATCH_UP));
        List<TimelineFeed.WrittenCall> written = feed.written();
        List<String> differences = new ArrayList<>();
        for (GatewayApi api : apis) {
            differences.addAll(ReadModelCheck.differences(api, keys, written));
            traffic.agentsCreated().forEach(agent -> {
                int status = api.get("/v1/agents/" + agent.id(), keys.get(agent.tenantId())).status();
                if (status != 200) {
                    differences.add(api.name() + ": agent " + agent.id() + " answered " + status);
                }
            });
        }
        System.out.printf("RESULT gateway-failover: %d calls with %d entries of %d tenants written (%d of them "
                + "placed through the API), %d agents created; every one served by each instance: %s%n",
                written.size(), written.stream().mapToInt(call -> call.acceptedSeqs().size()).sum(), keys.size(),
                traffic.callsPlaced().size(), traffic.agentsCreated().size(), differences.isEmpty());
        assertThat(differences).as("what an instance serves differently from what was written").isEmpty();
        assertThat(traffic.callsPlaced()).as("calls placed").isNotEmpty();
        assertThat(traffic.agentsCreated()).as("agents created").isNotEmpty();
    }

    /**
     * Every answer was a success, a 404 for a call not projected yet, or a 503 database-unavailable problem with
     * Retry-After within the socket timeout; only the killed instance lost connections, while it was down.
     */
    private static void customersSawOnlyCleanAnswers(ApiTraffic traffic, String victim, long[] killed) {
        List<ApiTraffic.Seen> seen = traffic.seen();
        List<String> unclean = seen.stream().filter(s -> !clean(s, victim, killed)).map(s -> s.request() + " on "
                + s.answer().instance() + ": " + s.answer().status() + " " + s.answer().problemType() + " after "
                + s.answer().took().toMillis() + " ms" + (s.answer().timedOut() ? " (no answer)" : ""))
                .limit(20).toList();
        Map<String, Long> outcomes = seen.stream().collect(Collectors.groupingBy(s -> s.request() + " "
                + s.answer().status(), java.util.TreeMap::new, Collectors.counting()));
        System.out.printf("RESULT gateway-failover: %d REST answers %s; unclean: %d%n", seen.size(), outcomes,
                unclean.size());
        assertThat(unclean).as("answers that were neither a success nor a clean problem").isEmpty();
    }

    private static boolean clean(ApiTraffic.Seen seen, String victim, long[] killed) {
        Answer answer = seen.answer();
        if (answer.timedOut()) {
            return false;
        }
        if (answer.status() == -1) {
            return answer.instance().equals(victim) && seen.at() >= killed[0] && seen.at() <= killed[1];
        }
        if (answer.databaseUnavailable()) {
            return answer.retryAfter() != null && answer.took().compareTo(SOCKET_TIMEOUT) < 0;
        }
        return answer.ok() || answer.status() == 404 && seen.request().equals("GET /v1/calls/{id}")
                && "https://sipai.dev/problems/not-found".equals(answer.problemType());
    }

    private static void theRefusedEntryIsQuarantined(String kafka, RefusedEntry refused) {
        List<QuarantinedRecord> quarantined = TestKafka.readAll(kafka, Topics.CALL_QUARANTINE).stream()
                .map(Map.Entry::getValue).filter(Objects::nonNull)
                .filter(record -> record.getSourceTopic().equals(Topics.CALL_TIMELINE_ENTRIES.name()))
                .filter(record -> record.getKey() != null && refused.callId().equals(
                        java.nio.charset.StandardCharsets.UTF_8.decode(record.getKey().duplicate()).toString()))
                .toList();
        System.out.printf("RESULT gateway-failover: the entry PostgreSQL refuses was quarantined: %s%n",
                quarantined.stream().map(QuarantinedRecord::getReason).toList());
        assertThat(quarantined).isNotEmpty().allSatisfy(record -> {
            assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.REJECTED);
            assertThat(record.getReason()).contains("SQLState 22");
        });
    }

    /** Waits until each instance is ready again; returns how long each took after {@code since}. */
    private static Map<String, Long> awaitReady(List<GatewayApi> apis, long since) {
        Map<String, Long> ready = new LinkedHashMap<>();
        long deadline = since + CATCH_UP.toNanos();
        while (ready.size() < apis.size()) {
            assertThat(System.nanoTime()).as("instances ready again: " + ready).isLessThan(deadline);
            apis.stream().filter(api -> !ready.containsKey(api.name()))
                    .filter(api -> api.get("/health/ready", null).status() == 200)
                    .forEach(api -> ready.put(api.name(), since(since)));
            pause(Duration.ofMillis(100));
        }
        return ready;
    }

    /** A tenant with an admin key and an agent, created through the API. */
    private static void tenant(GatewayApi api, String name, Map<String, String> keys, Map<String, String> agents) {
        Answer created = api.post("/v1/tenants", Deployment.ADMIN_KEY, Map.of("name", name));
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
        String key = created.text("apiKey");
        String tenantId = api.get("/v1/api-keys", key).json().get("data").get(0).get("tenantId").stringValue();
        Answer agent = api.post("/v1/agents", key, Map.of("name", "Ava", "greeting", "Hello"));
        assertThat(agent.status()).as(String.valueOf(agent.json())).isEqualTo(201);
        keys.put(tenantId, key);
        agents.put(tenantId, agent.text("id"));
    }

    /** The gateways' settings: short failure timeouts (each a documented setting) and a fake Twilio. */
    private static Map<String, String> settings(FakeTwilioApi twilio) {
        return Map.of("API_PROJECTION_SESSION_TIMEOUT_MS", "3000", "DB_CONNECT_TIMEOUT_SEC", "2",
                "DB_SOCKET_TIMEOUT_SEC", String.valueOf(SOCKET_TIMEOUT.toSeconds()),
                "API_RATE_LIMIT_PER_SECOND", "5000", "TWILIO_ACCOUNT_SID", "ACsystem",
                "TWILIO_AUTH_TOKEN", "system-twilio-token", "TWILIO_API_BASE_URL", twilio.baseUrl(),
                "TELEPHONY_WEBHOOK_BASE_URL", "https://gateway.example.com");
    }

    private static long since(long start) {
        return millis(System.nanoTime() - start);
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
