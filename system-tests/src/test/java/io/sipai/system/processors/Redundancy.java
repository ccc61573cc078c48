package io.sipai.system.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sipai.schemas.Topics;
import io.sipai.testing.cluster.ServiceNode;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether the stream-processors instances are redundant again, from their {@code /streams/tasks}: every instance
 * RUNNING, every stateful task (subtopology 0 of each app: the timeline and the admission decider; the slot releaser's
 * tasks keep no state) active on one instance and standby on another, and no local store more than
 * {@value #CAUGHT_UP} records behind its changelog. Until then, losing the other instance is a second failure: its
 * tasks would restore from scratch instead of failing over to a warm standby.
 */
public final class Redundancy {

    static final long CAUGHT_UP = 500;
    /** The timeline's tasks (one per partition of {@code call.events.v1}) and admission's decider. */
    static final long STATEFUL_TASKS = Topics.CALL_EVENTS.partitions() + 1;
    static final Duration SETTLED = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Redundancy() {
    }

    /**
     * Waits until the instances are redundant and stay so for {@link #SETTLED}; returns how long until they were, in
     * ms; fails after {@code timeout}. The settling matters: Kafka Streams moves tasks back in a follow-up
     * rebalance right when the warm-up copies have caught up, which is the moment they first look redundant; one
     * second (a heartbeat and a bit) was enough in the runs of 2026-12-06 (an earlier variant waited 3 s and a
     * longer warm-up, which cost {@code .ci/run} 80 s).
     * Under exactly-once a SIGKILLed instance's local state is discarded when it comes back (no checkpoint:
     * "TaskCorruptedException"), so its standbys restore from the changelogs first: seconds, and more the longer the
     * scenario ran.
     */
    public static long await(List<ServiceNode> nodes, Duration timeout) {
        long start = System.nanoTime();
        Awaitility.await("stream-processors redundant again").atMost(timeout).during(SETTLED)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(problem(nodes)).as("what keeps them from being redundant").isEmpty());
        return (System.nanoTime() - start) / 1_000_000 - SETTLED.toMillis();
    }

    /** What keeps the instances from being redundant; empty when they are. */
    static String problem(List<ServiceNode> nodes) {
        Map<String, Set<String>> activeOn = new HashMap<>();
        Map<String, Set<String>> standbyOn = new HashMap<>();
        for (ServiceNode node : nodes) {
            JsonNode apps = tasks(node);
            if (apps == null) {
                return node.name() + " does not answer";
            }
            for (JsonNode app : apps) {
                String id = app.get("applicationId").asString();
                if (!app.get("state").asString().equals("RUNNING")) {
                    return node.name() + " " + id + " is " + app.get("state").asString();
                }
                long lag = app.get("maxStoreLag").asLong();
                if (lag < 0 || lag > CAUGHT_UP) {
                    return node.name() + " " + id + " stores lag " + lag;
                }
                collect(activeOn, id, node.name(), app.get("active"));
                collect(standbyOn, id, node.name(), app.get("standby"));
            }
        }
        long statefulActive = activeOn.keySet().stream().filter(task -> task.contains(":0_")).count();
        if (statefulActive < STATEFUL_TASKS) {
            return "only " + statefulActive + " of " + STATEFUL_TASKS + " stateful tasks active";
        }
        List<String> missing = new ArrayList<>();
        activeOn.forEach((task, owners) -> {
            if (task.contains(":0_")) {
                Set<String> standbys = new HashSet<>(standbyOn.getOrDefault(task, Set.of()));
                standbys.removeAll(owners);
                if (standbys.isEmpty()) {
                    missing.add(task);
                }
            }
        });
        return missing.isEmpty() ? "" : "no warm standby for " + missing;
    }

    private static void collect(Map<String, Set<String>> on, String app, String node, JsonNode tasks) {
        for (JsonNode task : tasks) {
            on.computeIfAbsent(app + ":" + task.asString(), key -> new HashSet<>()).add(node);
        }
    }

    private static JsonNode tasks(ServiceNode node) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.url("/streams/tasks"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()).get("apps") : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
