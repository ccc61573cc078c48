package io.sipai.testing.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The drills every service's HTTP hardening test runs with {@link HostileHttp}: the whole attack catalogue on each
 * path, and a crowd of slow-loris clients. The assertions stay in the tests; these only drive the connections.
 */
public final class HardeningDrills {

    private HardeningDrills() {
    }

    /**
     * Sends every attack of {@link HostileHttp#attacks} on each of {@code paths}, printing each outcome as
     * {@code HARDENING <service> <path> <outcome>}; returns the outcomes that were not a 4xx or a close.
     */
    public static List<HostileHttp.Outcome> catalogue(int port, String service, List<String> paths) {
        HostileHttp http = new HostileHttp(port);
        List<HostileHttp.Outcome> refusedBadly = new ArrayList<>();
        for (String path : paths) {
            for (HostileHttp.Attack attack : HostileHttp.attacks(path)) {
                HostileHttp.Outcome outcome = http.send(attack);
                System.out.println("HARDENING " + service + " " + path + " " + outcome);
                if (!outcome.refusedCleanly()) {
                    refusedBadly.add(outcome);
                }
            }
        }
        return refusedBadly;
    }

    /**
     * Opens {@code clients} slow-loris requests on {@code path} at once (each pausing {@code pauseMs} mid-head, see
     * {@link HostileHttp#slowLoris}), runs {@code whileOpen} three seconds later while they are all half read, and
     * returns how long the server kept each open, in ms.
     */
    public static List<Long> slowLorisCrowd(int port, String path, int clients, int pauseMs, int maxMs,
                                            Runnable whileOpen) throws InterruptedException {
        List<Long> openMs = Collections.synchronizedList(new ArrayList<>());
        List<Future<Long>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> new HostileHttp(port).slowLoris(path, pauseMs, maxMs)));
            }
            Thread.sleep(3_000);
            whileOpen.run();
            for (Future<Long> client : running) {
                openMs.add(client.get());
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a slow-loris client failed", e.getCause());
        }
        return openMs;
    }
}
