package io.sipai.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a route into a request the gateway must refuse with a 4xx problem: a hostile JSON body, a bad Content-Type
 * or chunked framing, a query parameter that is not UTF-8 text or not of its type, a path segment the server will
 * not decode or that names nothing, an oversize or malformed header, or a broken request line. The request is raw
 * text for {@link RawHttp}, which sends what java.net.http would refuse to.
 */
public final class HostileRequests {

    /** Query values that do not decode to storable UTF-8 text. */
    private static final List<String> BAD_QUERY_VALUES = List.of("%FF", "%C3%28", "%ED%A0%80", "%C0%AE", "%00",
            "a%01b", "%ZZ", "%", "%E0%80%80", "x%1B%5B31m");
    /** Path segments the server refuses before routing, on any route. */
    private static final List<String> REFUSED_SEGMENTS = List.of("..%2F..%2Fetc", "%00", "%C0%AE%C0%AE%2F", "%FF",
            "%2F", "%ED%A0%80", "..%5C..%5C", "%2e%2e/%2e%2e/%2e%2e/%2e%2e");
    /** Path variable values that name nothing (404) or are refused (400). */
    private static final List<String> ODD_IDS = List.of("%2e%2e", "x;a=b", ";", "%25", "a%20b", "%E2%80%AE",
            "%F0%9F%98%80", "0".repeat(300), "agt_%00", "..", "%2e", "x%3Bjsessionid=1", "-1", "+1%2B");
    private static final List<String> BAD_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/json; charset=nope", "application/json; charset=UTF-16", ";;;", "multipart/form-data",
            "application/x-www-form-urlencoded", "application/jsonx", "*/*", "application/json; charset=\"");

    private final Random random;
    private final List<String> keys;

    /** @param keys API keys to authenticate with, used in turn so no one key reaches its rate limit */
    public HostileRequests(Random random, List<String> keys) {
        this.random = random;
        this.keys = keys;
    }

    /** A request to send: what is hostile in it, the request head (line and headers) and the body (or null). */
    public record Hostile(String description, String head, byte[] body) {
        @Override
        public String toString() {
            return description + " | " + head.lines().findFirst().orElse("");
        }
    }

    public Hostile next(Routes.Route route) {
        List<Integer> kinds = new ArrayList<>(List.of(0, 1, 2, 3, 4));
        if (route.body() != null) {
            kinds.addAll(List.of(5, 5, 5, 5, 6, 7));
        }
        return switch (kinds.get(random.nextInt(kinds.size()))) {
            case 0 -> badQuery(route);
            case 1 -> badPath(route);
            case 2 -> badHeader(route);
            case 3 -> badRequestLine(route);
            case 4 -> route.params().isEmpty() ? badQuery(route) : mistypedParameter(route);
            case 5 -> badBody(route);
            case 6 -> badContentType(route);
            default -> badChunking(route);
        };
    }

    private Hostile badQuery(Routes.Route route) {
        List<String> names = new ArrayList<>(route.params().keySet());
        names.add("x");
        String name = names.get(random.nextInt(names.size()));
        String value = pick(BAD_QUERY_VALUES);
        return request("query " + name + "=" + value, route, path(route) + "?" + name + "=" + value,
                headers(route), body(route));
    }

    private Hostile mistypedParameter(Routes.Route route) {
        List<String> names = new ArrayList<>(route.params().keySet());
        String name = names.get(random.nextInt(names.size()));
        Class<?> type = route.params().get(name);
        String value = type == int.class || type == long.class || type == Integer.class || type == Long.class
                ? pick(List.of("abc", "1e3", "-1", "0", "99999999999999999999", "1.5", "0x10", "%EF%BC%91"))
                : pick(List.of("not-a-cursor", "yesterday", "%E2%80%AE", "UNKNOWN", "2026-13-01T00:00:00Z"));
        String target = path(route) + "?" + name + "=" + value;
        if (route.pattern().startsWith("/telephony") || isHarmlessValue(name, value)) {
            return badQuery(route);
        }
        return request("parameter " + name + "=" + value, route, target, headers(route), body(route));
    }

    /** Values that a parameter accepts as a filter, so the request would rightly succeed. */
    private static boolean isHarmlessValue(String name, String value) {
        return List.of("campaignId", "agentId").contains(name) || name.equals("cursor") && value.isEmpty();
    }

    private Hostile badPath(Routes.Route route) {
        if (route.hasPathVariables()) {
            String id = pick(ODD_IDS);
            return request("path variable " + id, route, route.pattern().replaceAll("\\{[^}]+}", id),
                    headers(route), body(route));
        }
        String segment = pick(REFUSED_SEGMENTS);
        return request("path segment " + segment, route, route.pattern() + "/" + segment, headers(route),
                body(route));
    }

    private Hostile badHeader(Routes.Route route) {
        Map<String, String> headers = headers(route);
        String what;
        switch (random.nextInt(4)) {
            case 0 -> {
                headers.put("X-API-Key", "k".repeat(9_000 + random.nextInt(4_000)));
                what = "oversize X-API-Key";
            }
            case 1 -> {
                for (int i = 0; i < 120; i++) {
                    headers.put("X-Many-" + i, "v");
                }
                what = "120 headers";
            }
            case 2 -> {
                headers.put("X Bad Name", "1");
                what = "header name with spaces";
            }
            default -> {
                headers.put("X-Control", "a\u0001b\u0000c");
                what = "control characters in a header value";
            }
        }
        return request(what, route, path(route), headers, body(route));
    }

    private Hostile badRequestLine(Routes.Route route) {
        String target = path(route);
        String line = switch (random.nextInt(6)) {
            case 0 -> "G\"T " + target + " HTTP/1.1";
            case 1 -> route.method() + " " + target + " HTTP/1.1 extra";
            case 2 -> route.method() + " " + target + "\u0001 HTTP/1.1";
            case 3 -> "TRACE " + target + " HTTP/1.1";
            case 4 -> route.method().toLowerCase(java.util.Locale.ROOT) + " " + target + " HTTP/1.1";
            default -> route.method() + " " + target.replace("/", "/\u007f") + " HTTP/1.1";
        };
        return new Hostile("request line", line + headerText(headers(route)), null);
    }

    private Hostile badBody(Routes.Route route) {
        HostileJson.Body body = HostileJson.generate(route.body(), random);
        Map<String, String> headers = headers(route);
        headers.put("Content-Type", "application/json");
        return request("body: " + body.violation(), route, path(route), headers, body.bytes());
    }

    private Hostile badContentType(Routes.Route route) {
        Map<String, String> headers = headers(route);
        String type = pick(BAD_CONTENT_TYPES);
        headers.put("Content-Type", type);
        return request("Content-Type " + type, route, path(route), headers,
                HostileJson.generate(route.body(), random).bytes());
    }

    private Hostile badChunking(Routes.Route route) {
        Map<String, String> headers = headers(route);
        headers.put("Content-Type", "application/json");
        headers.put("Transfer-Encoding", "chunked");
        String chunks = pick(List.of("zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\nFFFFFFFFFFFFFFFFF\r\n", "-1\r\n\r\n",
                "3;\u0000\r\n{}}\r\n0\r\n\r\n"));
        return new Hostile("malformed chunked body", route.method() + " " + path(route) + " HTTP/1.1"
                + headerText(headers), chunks.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The route's path with its variables filled by ids that name nothing. */
    private static String path(Routes.Route route) {
        return route.pattern().replaceAll("\\{[^}]+}", "nothing_here");
    }

    private Map<String, String> headers(Routes.Route route) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(8) != 0) {
            headers.put("X-API-Key", keys.get(random.nextInt(keys.size())));
        }
        return headers;
    }

    /** A body for routes that read one, so the body is never what makes the request succeed or fail. */
    private byte[] body(Routes.Route route) {
        return route.body() == null && !route.method().equals("POST") ? null
                : HostileJson.generate(route.body() == null ? Object.class : route.body(), random).bytes();
    }

    private static Hostile request(String description, Routes.Route route, String target,
                                   Map<String, String> headers, byte[] body) {
        if (body != null && !headers.containsKey("Content-Type")) {
            headers.put("Content-Type", "application/json");
        }
        return new Hostile(description, route.method() + " " + target + " HTTP/1.1" + headerText(headers), body);
    }

    private static String headerText(Map<String, String> headers) {
        StringBuilder text = new StringBuilder();
        headers.forEach((name, value) -> text.append("\r\n").append(name).append(": ").append(value));
        return text.toString();
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
