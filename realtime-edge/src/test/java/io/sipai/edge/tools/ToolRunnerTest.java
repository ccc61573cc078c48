package io.sipai.edge.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.edge.brain.AgentBrain.ToolCall;
import io.sipai.edge.session.CallContext;
import io.sipai.runtime.ssrf.SsrfGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP tools POST their arguments to a loopback receiver, signed so that the Standard Webhooks reference library
 * verifies them; errors and timeouts come back as failed results; built-ins report their effect.
 */
class ToolRunnerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final List<String> verified = new CopyOnWriteArrayList<>();
    private final HttpServer receiver = receiver();
    private final ToolRunner runner = new ToolRunner(new SsrfGuard(List.of("127.0.0.1")), new WebhookSigner(SECRET));

    private HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/ok", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, List<String>> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach(headers::put);
                try {
                    new Webhook(SECRET).verify(body, HttpHeaders.of(headers, (a, b) -> true));
                    verified.add(body);
                } catch (Exception e) {
                    verified.add("INVALID " + e.getMessage());
                }
                answer(exchange, 200, "{\"reference\":\"A12\"}");
            });
            s.createContext("/broken", exchange -> answer(exchange, 500, "oops"));
            s.createContext("/slow", exchange -> {
                // Never answers: the tool's timeout must fire.
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private CallContext call(String path) {
        return call(path, List.of());
    }

    private CallContext call(String path, List<ToolDefinition> more) {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        AgentConfig agent = AgentConfig.newBuilder().setAgentId("a").setTenantId("acme").setVersion(1)
                .setUpdatedAt(Instant.now()).setName("a").setAsr(offline).setLlm(offline).setTts(offline)
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build())
                .setTools(java.util.stream.Stream.concat(java.util.stream.Stream.of(ToolDefinition.newBuilder()
                        .setName("book").setDescription("d").setParametersJsonSchema("{}").setKind(ToolKind.HTTP)
                        .setTimeoutMs(300).setUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + path)
                        .build()), more.stream()).toList()).build();
        return new CallContext("call-1", "acme", null, "a", CallDirection.INBOUND, Transport.TWILIO, null, null,
                null, agent);
    }

    @Test
    void anHttpToolPostsSignedArgumentsAndReturnsTheResponse() {
        ToolRunner.Outcome outcome = runner.run(call("/ok"), new ToolCall("t1", "book", "{\"day\":\"monday\"}"))
                .join();
        assertThat(outcome.result().success()).isTrue();
        assertThat(outcome.result().resultJson()).isEqualTo("{\"reference\":\"A12\"}");
        assertThat(verified).containsExactly("{\"day\":\"monday\"}");
    }

    @Test
    void anHttpErrorOrATimeoutIsAFailedResult() {
        ToolRunner.Outcome broken = runner.run(call("/broken"), new ToolCall("t2", "book", "{}")).join();
        assertThat(broken.result().success()).isFalse();
        assertThat(broken.error()).isEqualTo("HTTP 500");
        ToolRunner.Outcome slow = runner.run(call("/slow"), new ToolCall("t3", "book", "{}")).join();
        assertThat(slow.result().success()).isFalse();
        assertThat(slow.error()).isEqualTo("timeout after 300 ms");
    }

    @Test
    void builtInsReportTheirEffectAndUnknownToolsFail() {
        assertThat(runner.run(call("/ok"), new ToolCall("t4", "end_call", "{}")).join().effect())
                .isEqualTo(ToolRunner.Effect.END_CALL);
        assertThat(runner.run(call("/ok"), new ToolCall("t5", "send_dtmf", "{\"digits\":\"12\"}")).join().effect())
                .isEqualTo(ToolRunner.Effect.SEND_DTMF);
        assertThat(runner.run(call("/ok"), new ToolCall("t6", "nope", "{}")).join().error())
                .isEqualTo("unknown tool 'nope'");
    }

    @Test
    void givenNoAllowList_whenAToolUrlPointsAtLoopback_thenTheSsrfGuardRefusesItAndNothingIsSent() {
        ToolRunner guarded = new ToolRunner(new SsrfGuard(List.of()), new WebhookSigner(SECRET));
        ToolRunner.Outcome outcome = guarded.run(call("/ok"), new ToolCall("t7", "book", "{}")).join();
        assertThat(outcome.result().success()).isFalse();
        assertThat(outcome.error()).startsWith("refused: host '127.0.0.1' resolves to a forbidden");
        assertThat(verified).isEmpty();
    }

    @Test
    void givenATransferToolWithATelUrl_whenRun_thenItsEffectCarriesTheConfiguredTargetNotTheArguments() {
        ToolDefinition transfer = ToolDefinition.newBuilder().setName("transfer_call").setDescription("d")
                .setParametersJsonSchema("{}").setKind(ToolKind.TRANSFER_CALL).setUrl("tel:+15551234567").build();
        ToolRunner.Outcome outcome = runner.run(call("/ok", List.of(transfer)), new ToolCall("t8", "transfer_call",
                "{\"number\":\"+19005550100\"}")).join();
        assertThat(outcome.effect()).isEqualTo(ToolRunner.Effect.TRANSFER_CALL);
        assertThat(outcome.target().uri()).isEqualTo("tel:+15551234567");
    }

    @Test
    void givenNoOrABadTransferTarget_whenTransferCallRuns_thenItIsAFailedResultForTheBrain() {
        ToolRunner.Outcome none = runner.run(call("/ok"), new ToolCall("t9", "transfer_call", "{}")).join();
        assertThat(none.result().success()).isFalse();
        assertThat(none.effect()).isEqualTo(ToolRunner.Effect.NONE);
        assertThat(none.error()).startsWith("no transfer target configured");
        ToolDefinition bad = ToolDefinition.newBuilder().setName("transfer_call").setDescription("d")
                .setParametersJsonSchema("{}").setKind(ToolKind.TRANSFER_CALL).setUrl("https://example.com").build();
        assertThat(runner.run(call("/ok", List.of(bad)), new ToolCall("t10", "transfer_call", "{}")).join().error())
                .startsWith("transfer target is not tel:");
    }
}
