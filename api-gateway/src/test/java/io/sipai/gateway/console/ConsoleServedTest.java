package io.sipai.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;

/**
 * The console as the gateway serves it at {@code /}: a page that cannot be framed or made to run another origin's
 * script, revalidated at every load, its hashed assets cached for a year, and a first load of at most 200 KB of
 * gzipped JavaScript (issue 17's budget).
 */
class ConsoleServedTest extends GatewayTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SCRIPT = Pattern.compile("<script[^>]+src=\"(/assets/[^\"]+\\.js)\"");
    private static final int JS_BUDGET_GZIPPED = 200 * 1024;

    @Test
    void theConsolePageIsServedAtTheRootWithHeadersThatKeepItSafeAndFresh() throws Exception {
        // when the browser asks for the console
        HttpResponse<String> page = get("/");

        // then it is the page, revalidated every time, with a policy that allows only the gateway's own scripts
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<div id=\"app\"");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void theFirstLoadsScriptsAreCachedForAYearAndWeighAtMost200KbGzipped() throws Exception {
        // given the scripts the page loads
        List<String> scripts = SCRIPT.matcher(get("/").body()).results().map(m -> m.group(1)).toList();
        assertThat(scripts).isNotEmpty();

        // when each is fetched, then it is immutable for a year, and together they fit the budget
        long gzipped = 0;
        for (String script : scripts) {
            HttpResponse<String> asset = get(script);
            assertThat(asset.statusCode()).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control").orElseThrow())
                    .contains("max-age=31536000", "immutable");
            gzipped += gzip(asset.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        System.out.printf(java.util.Locale.ROOT, "RESULT console first load: %d script(s), %d bytes gzipped%n",
                scripts.size(), gzipped);
        assertThat(gzipped).isLessThanOrEqualTo(JS_BUDGET_GZIPPED);
    }

    @Test
    void theApiKeepsItsOwnAnswersAndAnUnknownPathIsAProblemNotThePage() throws Exception {
        // when an API path and an unknown path are asked for, then neither is the console's page
        HttpResponse<String> api = get("/v1/health");
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(api.headers().firstValue("Content-Security-Policy")).isEmpty();
        HttpResponse<String> unknown = get("/v1/no-such-thing");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(get("/no-such-page.js").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.size();
    }
}
