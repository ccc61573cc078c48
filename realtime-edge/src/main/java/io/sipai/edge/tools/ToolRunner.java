package io.sipai.edge.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sipai.config.AgentConfig;
import io.sipai.config.ToolDefinition;
import io.sipai.config.ToolKind;
import io.sipai.edge.brain.AgentBrain.ToolCall;
import io.sipai.edge.brain.AgentBrain.ToolResult;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.tools.internal.GuardedPost;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * Runs the tools an agent's brain asks for. Built-ins ({@code end_call}, {@code transfer_call}, {@code send_dtmf})
 * are answered at once and leave the effect to the pipeline ({@link Effect}; a transfer carries the tool's
 * configured target); HTTP tools POST the arguments object
 * as JSON to the tool's URL (through the SSRF guard at connect time: an internal address not allow-listed in
 * {@code WEBHOOK_ALLOWED_HOSTS} is a refused, failed result), signed like webhooks ({@link WebhookSigner}), with the
 * tool's timeout, and return the response body (a 2xx) as the result. Never blocks the caller.
 */
public final class ToolRunner {

    /** What a built-in asks the pipeline to do. */
    public enum Effect { NONE, END_CALL, TRANSFER_CALL, SEND_DTMF }

    /**
     * A finished tool call and its effect on the call.
     *
     * @param target where to transfer the call, for {@link Effect#TRANSFER_CALL} only
     */
    public record Outcome(ToolResult result, Effect effect, long durationMs, String error, TransferTarget target) {

        public Outcome(ToolResult result, Effect effect, long durationMs, String error) {
            this(result, effect, durationMs, error, null);
        }
    }

    private static final int MAX_RESULT_CHARS = 16_384;
    private static final int MAX_RESULT_BYTES = 4 * MAX_RESULT_CHARS;
    private static final String USER_AGENT = "sipai-realtime-edge";
    /** Tool requests block on their socket; a virtual thread each costs next to nothing. */
    private static final Executor EXECUTOR = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tool-http-", 1).factory());

    private final SsrfGuard guard;
    private final WebhookSigner signer;

    /** @param guard the SSRF guard every HTTP tool URL passes at connect time ({@code WEBHOOK_ALLOWED_HOSTS}) */
    public ToolRunner(SsrfGuard guard, WebhookSigner signer) {
        this.guard = guard;
        this.signer = signer;
    }

    /** Runs {@code call} for the call's agent. */
    public CompletableFuture<Outcome> run(CallContext context, ToolCall call) {
        long start = System.nanoTime();
        ToolDefinition definition = find(context.agent(), call.name());
        ToolKind kind = definition != null ? definition.getKind() : builtIn(call.name());
        return switch (kind) {
            case END_CALL -> done(call, start, Effect.END_CALL, "{\"ended\":true}");
            case TRANSFER_CALL -> CompletableFuture.completedFuture(transfer(definition, call, start));
            case SEND_DTMF -> done(call, start, Effect.SEND_DTMF, "{\"sent\":true}");
            case HTTP -> http(context, definition, call, start);
            default -> CompletableFuture.completedFuture(failed(call, start, "unknown tool '" + call.name() + "'"));
        };
    }

    private CompletableFuture<Outcome> http(CallContext context, ToolDefinition tool, ToolCall call, long start) {
        if (tool.getUrl() == null) {
            return CompletableFuture.completedFuture(failed(call, start, "tool has no url"));
        }
        String body = call.argumentsJson() == null || call.argumentsJson().isBlank() ? "{}" : call.argumentsJson();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put("X-Sipai-Call-Id", context.callId());
        headers.put("X-Sipai-Tool", call.name());
        headers.putAll(signer.headers(call.id(), body));
        int timeoutMs = tool.getTimeoutMs();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return GuardedPost.post(guard, tool.getUrl(), headers, body.getBytes(StandardCharsets.UTF_8),
                        timeoutMs, MAX_RESULT_BYTES);
            } catch (SsrfRefusedException e) {
                throw new CompletionException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, EXECUTOR).orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : error;
                cause = cause instanceof UncheckedIOException io ? io.getCause() : cause;
                if (cause instanceof SsrfRefusedException refused) {
                    return failed(call, start, "refused: " + refused.getMessage());
                }
                boolean timeout = cause instanceof TimeoutException || cause instanceof SocketTimeoutException;
                return failed(call, start, timeout ? "timeout after " + timeoutMs + " ms"
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            if (response.status() / 100 != 2) {
                return failed(call, start, "HTTP " + response.status());
            }
            String result = response.body().length() > MAX_RESULT_CHARS
                    ? response.body().substring(0, MAX_RESULT_CHARS) : response.body();
            return new Outcome(new ToolResult(call, true, result.isBlank() ? "{}" : result), Effect.NONE,
                    elapsed(start), null);
        });
    }

    /**
     * The transfer target is the tool's configured url, never something the brain chose: a prompt must not be able
     * to dial arbitrary (premium) numbers. No usable target is a failed result the brain hears about.
     */
    private static Outcome transfer(ToolDefinition tool, ToolCall call, long start) {
        String url = tool == null ? null : tool.getUrl();
        if (url == null || url.isBlank()) {
            return failed(call, start, "no transfer target configured: the agent's transfer_call tool needs a url, "
                    + TransferTarget.EXPECTED);
        }
        TransferTarget target = TransferTarget.parse(url).orElse(null);
        if (target == null) {
            return failed(call, start, "transfer target is not " + TransferTarget.EXPECTED);
        }
        return new Outcome(new ToolResult(call, true, "{\"target\":" + quote(target.uri()) + "}"),
                Effect.TRANSFER_CALL, elapsed(start), null, target);
    }

    private static ToolDefinition find(AgentConfig agent, String name) {
        List<ToolDefinition> tools = agent == null ? List.of() : agent.getTools();
        return tools.stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }

    private static ToolKind builtIn(String name) {
        return switch (name) {
            case "end_call" -> ToolKind.END_CALL;
            case "transfer_call" -> ToolKind.TRANSFER_CALL;
            case "send_dtmf" -> ToolKind.SEND_DTMF;
            default -> ToolKind.UNKNOWN;
        };
    }

    private static CompletableFuture<Outcome> done(ToolCall call, long start, Effect effect, String result) {
        return CompletableFuture.completedFuture(new Outcome(new ToolResult(call, true, result), effect,
                elapsed(start), null));
    }

    private static Outcome failed(ToolCall call, long start, String error) {
        String json = "{\"error\":" + quote(error) + "}";
        return new Outcome(new ToolResult(call, false, json), Effect.NONE, elapsed(start), error);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
