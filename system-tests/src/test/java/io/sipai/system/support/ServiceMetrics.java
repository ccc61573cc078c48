package io.sipai.system.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.sipai.testing.cluster.ServiceNode;
import tools.jackson.databind.json.JsonMapper;

/** What a service node reports over HTTP, as an operator would read it: admission counters, Prometheus metrics. */
public final class ServiceMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServiceMetrics() {
    }

    /** Slots the admission processor holds for the tenant ({@code GET /admission/counters}); -1 when unavailable. */
    public static int activeSlots(ServiceNode processors, String tenant) {
        String body = get(processors, "/admission/counters");
        return body == null ? -1 : JSON.readTree(body).path("tenants").path(tenant).path("active").asInt(0);
    }

    /** The sum of a Prometheus metric's samples on {@code /metrics} (e.g. {@code edge_events_replayed_total}). */
    public static double metric(ServiceNode node, String name) {
        String body = get(node, "/metrics");
        if (body == null) {
            return Double.NaN;
        }
        return body.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String get(ServiceNode node, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(node.url(path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
