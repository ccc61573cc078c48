package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.sipai.system.support.CustomerWebhooks;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.EdgeCaller;
import io.sipai.system.support.GatewayApi;
import io.sipai.testing.cluster.ServiceNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's "no secret in clear on disk": a deployment (three brokers, PostgreSQL, the four services, the edge
 * journalling) takes a webhook subscription whose secret is rotated once, a created API key, and calls over the
 * realtime WebSocket whose webhooks are delivered; then every service, PostgreSQL and Kafka stop, and every file
 * of the deployment's directory (Kafka log segments and metadata, PostgreSQL's data directory with pg_wal, the
 * Streams state directories, the edge journal, every service's log) is searched for each secret the run used: the
 * webhook secrets (whole, and the base64 of their key), the bootstrap admin key and the created key, the telephony
 * token secret and the master key.
 */
class SecretsOnDiskTest {

    private static final byte[] ZEROS = new byte[64 * 1024];

    @TempDir
    Path dir;

    @Test
    void afterCallsAndWebhooksNoSecretTheRunUsedIsOnDiskInClear() {
        long started = System.nanoTime();
        Map<String, String> secrets = new LinkedHashMap<>();
        String hook;
        try (Deployment deployment = Deployment.start(dir); CustomerWebhooks customer = CustomerWebhooks.start()) {
            ServiceNode gateway = deployment.service("api-gateway", "gateway-1", Map.of());
            ServiceNode processors = deployment.service("stream-processors", "processors-1", Map.of());
            ServiceNode dispatcher = deployment.service("webhook-dispatcher", "dispatcher-1", Map.of());
            ServiceNode edge = deployment.service("realtime-edge", "edge-1",
                    Map.of("EDGE_JOURNAL_DIR", dir.resolve("data").resolve("edge-1").resolve("journal").toString()));
            List<ServiceNode> nodes = List.of(gateway, processors, dispatcher, edge);
            nodes.forEach(ServiceNode::start);
            nodes.forEach(node -> node.awaitReady(Deployment.READY));
            long ready = System.nanoTime();
            GatewayApi api = new GatewayApi(gateway, Duration.ofSeconds(10));

            // given a subscription to every event, its secret rotated once, and a created API key in use
            GatewayApi.Answer created = api.post("/v1/webhooks", Deployment.ADMIN_KEY,
                    Map.of("url", customer.url(), "eventTypes", List.of("*")));
            assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
            hook = created.text("id");
            secrets.put("first webhook secret", created.text("secret"));
            GatewayApi.Answer rotated = api.post("/v1/webhooks/" + hook + "/rotate-secret", Deployment.ADMIN_KEY,
                    Map.of());
            assertThat(rotated.status()).as(String.valueOf(rotated.json())).isEqualTo(200);
            secrets.put("rotated webhook secret", rotated.text("secret"));
            GatewayApi.Answer key = api.post("/v1/api-keys", Deployment.ADMIN_KEY,
                    Map.of("name", "disk-check", "scopes", List.of("read")));
            secrets.put("created API key", key.text("key"));
            assertThat(api.get("/v1/webhooks", key.text("key")).status()).isEqualTo(200);

            // when calls run over the realtime WebSocket and their webhooks are delivered
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String callId = "disk-" + UUID.randomUUID();
                calls.add(callId);
                try (EdgeCaller call = EdgeCaller.voice(edge, callId)) {
                    assertThat(call.exchangesAudio()).isTrue();
                    call.dtmf("5");
                    call.hangUp();
                }
            }
            for (String callId : calls) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !customer.of("call.ended", callId).isEmpty());
            }
            System.out.printf("RESULT secrets-on-disk: deployment ready in %d ms, calls and webhooks done %d ms "
                    + "later%n", (ready - started) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
        }

        // then, with everything stopped and flushed, no file of the deployment holds one of them in clear
        secrets.put("bootstrap admin key", Deployment.ADMIN_KEY);
        secrets.put("telephony token secret", Deployment.TOKEN_SECRET);
        secrets.put("master key", Deployment.SECRETS_KEYS.substring(Deployment.SECRETS_KEYS.indexOf(':') + 1));
        for (String name : List.of("first webhook secret", "rotated webhook secret")) {
            secrets.put(name + " (key base64)", secrets.get(name).substring("whsec_".length()));
        }
        long scanStart = System.nanoTime();
        List<Path> files = files(dir);
        List<String> found = new ArrayList<>();
        List<Path> holdingTheHookId = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            byte[] content = read(file);
            bytes += content.length;
            String text = new String(content, 0, writtenLength(content), StandardCharsets.ISO_8859_1);
            if (text.contains(hook)) {
                holdingTheHookId.add(dir.relativize(file));
            }
            secrets.forEach((name, value) -> {
                if (text.contains(value)) {
                    found.add(name + " in " + dir.relativize(file));
                }
            });
        }
        System.out.printf("RESULT secrets-on-disk: %d secrets searched in %d files (%d MB) in %d ms, whole test "
                        + "%d s%n", secrets.size(), files.size(), bytes >> 20, (System.nanoTime() - scanStart) / 1_000_000,
                (System.nanoTime() - started) / 1_000_000_000);
        assertThat(files).as("files searched").anyMatch(f -> f.toString().contains("pg_wal"))
                .anyMatch(f -> f.getFileName().toString().endsWith(".log") && f.toString().contains("kafka"))
                .anyMatch(f -> f.getFileName().toString().equals("gateway-1.log"));
        // the search reads what is there: the subscription's id is in Kafka's segments and in PostgreSQL's files
        assertThat(holdingTheHookId).as("files holding the subscription id")
                .anyMatch(f -> f.startsWith("kafka") && f.getFileName().toString().endsWith(".log"))
                .anyMatch(f -> f.startsWith("postgres"));
        assertThat(found).as("secrets found in clear").isEmpty();
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The length without the zeros at the end: Kafka's indexes and PostgreSQL's WAL segments are preallocated and
     * zero-filled past what was written (most of the bytes searched), and zeros hold no secret.
     */
    private static int writtenLength(byte[] content) {
        int end = content.length;
        while (end > 0) {
            int from = Math.max(0, end - ZEROS.length);
            if (Arrays.mismatch(content, from, end, ZEROS, 0, end - from) >= 0) {
                return end;
            }
            end = from;
        }
        return 0;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
