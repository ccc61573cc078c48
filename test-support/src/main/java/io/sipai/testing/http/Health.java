package io.sipai.testing.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waits for a service on loopback to report ready on {@code /health/ready}. */
public final class Health {

    private Health() {
    }

    /** Fails unless {@code GET http://127.0.0.1:port/health/ready} answers 200 within {@code timeout}. */
    public static void awaitReady(int port, Duration timeout) {
        await().atMost(timeout).untilAsserted(() -> {
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            }
        });
    }
}
