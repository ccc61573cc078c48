package io.sipai.system.support;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import io.sipai.testing.cluster.ServiceNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API of one api-gateway instance as a customer calls it: every call is timed, waits at most
 * {@code timeout} for the answer, and comes back as an {@link Answer} whatever happened (a refused connection or a
 * timeout included), so traffic can go on through failures and be judged afterwards.
 */
public final class GatewayApi {

    /** Problem type of a request that failed because PostgreSQL cannot be reached. */
    public static final String DATABASE_UNAVAILABLE = "https://sipai.dev/problems/database-unavailable";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServiceNode node;
    private final Duration timeout;
    private final HttpClient http;

    public GatewayApi(ServiceNode node, Duration timeout) {
        this.node = node;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** One answer: the status (-1: no answer, the connection failed or the timeout passed), body and timing. */
    public record Answer(String instance, int status, String contentType, JsonNode json, Duration took,
                         boolean timedOut, String retryAfter) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem type of an error answer, or null when it is none. */
        public String problemType() {
            return contentType != null && contentType.startsWith("application/problem+json") && json != null
                    && json.has("type") ? json.get("type").stringValue() : null;
        }

        public boolean databaseUnavailable() {
            return status == 503 && DATABASE_UNAVAILABLE.equals(problemType());
        }

        public String text(String field) {
            return json == null || !json.has(field) ? null : json.get(field).stringValue();
        }
    }

    public String name() {
        return node.name();
    }

    public Answer get(String path, String key) {
        return send(request(path, key).GET());
    }

    public Answer post(String path, String key, Object body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.url(path)).timeout(timeout);
        return key == null ? request : request.header("X-API-Key", key);
    }

    private Answer send(HttpRequest.Builder request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse(null);
            JsonNode json = type != null && type.contains("json") && !response.body().isEmpty()
                    ? JSON.readTree(response.body()) : null;
            return new Answer(node.name(), response.statusCode(), type, json, since(start), false,
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (HttpConnectTimeoutException e) {
            return new Answer(node.name(), -1, null, null, since(start), false, null);
        } catch (HttpTimeoutException e) {
            return new Answer(node.name(), -1, null, null, since(start), true, null);
        } catch (IOException e) {
            return new Answer(node.name(), -1, null, null, since(start), false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(node.name(), -1, null, null, since(start), false, null);
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
