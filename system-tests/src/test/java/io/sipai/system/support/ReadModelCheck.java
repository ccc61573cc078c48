package io.sipai.system.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.sipai.system.support.GatewayApi.Answer;
import io.sipai.system.support.TimelineFeed.WrittenCall;
import tools.jackson.databind.JsonNode;

/**
 * Holds what one gateway instance's API serves against what was written: every call in its tenant's list with the
 * newest version written, and its timeline with exactly the entries the database accepts, in order. Each difference
 * is described in one line.
 */
public final class ReadModelCheck {

    private ReadModelCheck() {
    }

    /** What the instance serves differently from {@code written}; empty when it serves everything. */
    public static List<String> differences(GatewayApi api, Map<String, String> keys, List<WrittenCall> written) {
        List<String> differences = new ArrayList<>();
        Map<String, List<WrittenCall>> byTenant = written.stream()
                .collect(Collectors.groupingBy(WrittenCall::tenantId));
        byTenant.forEach((tenant, calls) -> {
            Map<String, Long> listed = listed(api, keys.get(tenant), differences);
            for (WrittenCall call : calls) {
                Long version = listed.get(call.callId());
                if (version == null || version != call.version()) {
                    differences.add(api.name() + ": call " + call.callId() + " listed with version " + version
                            + ", written up to " + call.version());
                }
                List<Long> entries = entries(api, keys.get(tenant), call.callId(), differences);
                if (!entries.equals(call.acceptedSeqs())) {
                    differences.add(api.name() + ": call " + call.callId() + " has entries " + entries
                            + ", written " + call.acceptedSeqs());
                }
            }
        });
        return differences;
    }

    /** Waits until every call is served with at least its version; returns how long that took. */
    public static Duration awaitServed(GatewayApi api, Map<String, String> keys, List<WrittenCall> calls,
                                       Duration timeout) {
        long start = System.nanoTime();
        List<WrittenCall> pending = new ArrayList<>(calls);
        while (!pending.isEmpty()) {
            pending.removeIf(call -> {
                Answer answer = api.get("/v1/calls/" + call.callId(), keys.get(call.tenantId()));
                return answer.status() == 200 && answer.json().get("version").longValue() >= call.version();
            });
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (!pending.isEmpty() && waited.compareTo(timeout) > 0) {
                throw new AssertionError(api.name() + " did not serve " + pending.size() + " of " + calls.size()
                        + " calls within " + timeout + ", e.g. " + pending.getFirst());
            }
            if (!pending.isEmpty()) {
                pause();
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Every call of the tenant's list, with its version, page by page. */
    private static Map<String, Long> listed(GatewayApi api, String key, List<String> differences) {
        Map<String, Long> versions = new HashMap<>();
        String cursor = null;
        do {
            Answer page = api.get("/v1/calls?limit=200" + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), key);
            if (page.status() != 200) {
                differences.add(api.name() + ": listing calls answered " + page.status());
                return versions;
            }
            page.json().get("data").forEach(call -> versions.put(call.get("id").stringValue(),
                    call.get("version").longValue()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.stringValue();
        } while (cursor != null);
        return versions;
    }

    private static List<Long> entries(GatewayApi api, String key, String callId, List<String> differences) {
        Answer timeline = api.get("/v1/calls/" + callId + "/timeline?limit=200", key);
        if (timeline.status() != 200) {
            differences.add(api.name() + ": timeline of " + callId + " answered " + timeline.status());
            return List.of();
        }
        List<Long> seqs = new ArrayList<>();
        timeline.json().get("data").forEach(entry -> seqs.add(entry.get("seq").longValue()));
        return seqs;
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
