package io.sipai.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The metrics the operators' dashboards (infra/grafana/dashboards) and alert rules (infra/prometheus) name, and the
 * metrics the running services export on {@code /metrics}: a query that names a metric no service exports shows
 * nothing and an alert on it never fires, so every named metric must be exported.
 */
final class ExportedMetrics {

    /** Metric names of sipai's own meters (functions such as histogram_quantile and labels are not metrics). */
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:edge|sipai|webhook|gateway|admission)_[a-z0-9_]+)\\b");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);

    private ExportedMetrics() {
    }

    /** The metrics the queries of the dashboards and the alert rules name. */
    static Set<String> referenced(Path repository) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> dashboards = Files.list(repository.resolve("infra/grafana/dashboards"))) {
            for (Path dashboard : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
                collect(Files.readAllLines(dashboard, StandardCharsets.UTF_8), "\"expr\":", names);
            }
        }
        collect(Files.readAllLines(repository.resolve("infra/prometheus/sipai-alerts.yml"), StandardCharsets.UTF_8),
                "expr:", names);
        return names;
    }

    /** The sample names every service on {@code ports} exports now. */
    static Set<String> exported(Collection<Integer> ports) throws Exception {
        Set<String> names = new TreeSet<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int port : ports) {
                String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher sample = SAMPLE.matcher(body);
                while (sample.find()) {
                    names.add(sample.group(1));
                }
            }
        }
        return names;
    }

    /** The metric names on the lines that hold a query ({@code key}), one query per line in both formats. */
    private static void collect(Collection<String> lines, String key, Set<String> names) {
        for (String line : lines) {
            if (line.strip().startsWith(key)) {
                Matcher metric = METRIC.matcher(line);
                while (metric.find()) {
                    names.add(metric.group(1));
                }
            }
        }
    }
}
