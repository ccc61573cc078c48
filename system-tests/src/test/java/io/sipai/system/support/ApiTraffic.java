package io.sipai.system.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sipai.system.support.GatewayApi.Answer;

/**
 * Customers' REST traffic through every gateway instance while a scenario breaks things. A reader per instance
 * reads calls the feed wrote and lists them; one writer creates agents and places calls through the instances in
 * turn (a placed call is handed to the {@link TimelineFeed}, which goes on with its timeline). Instances marked
 * {@link #down} get no new requests, as behind a balancer that took them out. Every answer is kept with the time it
 * came, so the scenario can judge what customers saw in each phase.
 */
public final class ApiTraffic implements AutoCloseable {

    /** An answer and when it came ({@link System#nanoTime()}). */
    public record Seen(long at, String request, Answer answer) {
    }

    /** An agent or call the API accepted (201, 202), with the tenant whose key created it. */
    public record Accepted(String id, String tenantId) {
    }

    private final List<GatewayApi> gateways;
    private final Map<String, String> keys;
    private final Map<String, String> agents;
    private final TimelineFeed feed;
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<Accepted> agentsCreated = new CopyOnWriteArrayList<>();
    private final List<Accepted> callsPlaced = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param keys   an API key of each tenant, by tenant id
     * @param agents an agent of each tenant (calls are placed with it), by tenant id
     */
    private ApiTraffic(List<GatewayApi> gateways, Map<String, String> keys, Map<String, String> agents,
                       TimelineFeed feed) {
        this.gateways = List.copyOf(gateways);
        this.keys = Map.copyOf(keys);
        this.agents = Map.copyOf(agents);
        this.feed = feed;
    }

    /** Starts the readers and the writer. */
    public static ApiTraffic start(List<GatewayApi> gateways, Map<String, String> keys, Map<String, String> agents,
                                   TimelineFeed feed) {
        ApiTraffic traffic = new ApiTraffic(gateways, keys, agents, feed);
        traffic.gateways.forEach(api -> traffic.threads.add(Thread.ofPlatform().daemon()
                .name("reader-" + api.name()).start(() -> traffic.read(api))));
        traffic.threads.add(Thread.ofPlatform().daemon().name("writer").start(traffic::write));
        return traffic;
    }

    /** Takes the instance out of the traffic (it is about to die). */
    public void down(String instance) {
        down.add(instance);
    }

    /** Puts the instance back into the traffic. */
    public void up(String instance) {
        down.remove(instance);
    }

    /** Every answer so far. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The answers that came between two {@link System#nanoTime()} readings. */
    public List<Seen> seenBetween(long from, long to) {
        return seen.stream().filter(s -> s.at() >= from && s.at() <= to).toList();
    }

    public List<Accepted> agentsCreated() {
        return List.copyOf(agentsCreated);
    }

    public List<Accepted> callsPlaced() {
        return List.copyOf(callsPlaced);
    }

    private void read(GatewayApi api) {
        List<String> tenants = List.copyOf(keys.keySet());
        while (running.get()) {
            if (!down.contains(api.name())) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Map.Entry<String, String> call = feed.anyCall();
                if (call != null && random.nextBoolean()) {
                    record("GET /v1/calls/{id}", api.get("/v1/calls/" + call.getKey(), keys.get(call.getValue())));
                } else {
                    String tenant = tenants.get(random.nextInt(tenants.size()));
                    record("GET /v1/calls", api.get("/v1/calls?limit=20", keys.get(tenant)));
                }
            }
            pause(Duration.ofMillis(25));
        }
    }

    private void write() {
        List<String> tenants = List.copyOf(keys.keySet());
        for (int i = 0; running.get(); i++) {
            GatewayApi api = gateways.get(i % gateways.size());
            String tenant = tenants.get(i % tenants.size());
            if (!down.contains(api.name())) {
                if (i % 2 == 0) {
                    Answer agent = api.post("/v1/agents", keys.get(tenant), Map.of("name", "Ava " + i,
                            "greeting", "Hello"));
                    record("POST /v1/agents", agent);
                    if (agent.status() == 201) {
                        agentsCreated.add(new Accepted(agent.text("id"), tenant));
                    }
                } else {
                    Answer call = api.post("/v1/calls", keys.get(tenant), Map.of("to", "+14155550100",
                            "from", "+14155550199", "agentId", agents.get(tenant), "provider", "twilio"));
                    record("POST /v1/calls", call);
                    if (call.status() == 202) {
                        callsPlaced.add(new Accepted(call.text("id"), tenant));
                        feed.adopt(call.text("id"), tenant);
                    }
                }
            }
            pause(Duration.ofMillis(150));
        }
    }

    private void record(String request, Answer answer) {
        seen.add(new Seen(System.nanoTime(), request, answer));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every thread; returns once the requests in flight are answered. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
