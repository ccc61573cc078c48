package io.sipai.gateway.traces.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import io.sipai.gateway.calls.Calls;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.traces.CallTraceView;
import io.sipai.gateway.traces.TraceStore;
import io.sipai.gateway.traces.TraceViewSettings;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.otlp.OtlpTraces;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway's trace store over HTTP: an OTLP/HTTP receiver for the platform's own services on this machine
 * ({@code POST /otlp/v1/traces}, protobuf, loopback only and not through a proxy, when {@code API_TRACES_RECEIVER}
 * is on) and a call's trace for its tenant ({@code GET /v1/calls/{id}/trace}).
 */
@RestController
public class TracesController {

    /** Headers a proxy adds: a request that carries one came from elsewhere, whatever its peer address. */
    private static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    private final TraceViewSettings settings;
    private final TraceStore store;
    private final Calls calls;

    public TracesController(TraceViewSettings settings, TraceStore store, Calls calls) {
        this.settings = settings;
        this.store = store;
        this.calls = calls;
    }

    /**
     * Takes a batch of spans when the receiver is on and the request comes from this machine directly (not through
     * a proxy, which would make every client look local); the body is read only then.
     */
    @PostMapping(path = TraceViewSettings.RECEIVER_PATH, consumes = "application/x-protobuf")
    public ResponseEntity<byte[]> receive(HttpServletRequest request) throws IOException {
        if (!settings.receiver() || !fromThisMachine(request)) {
            // Off, or not from this machine: as if there were nothing here.
            throw new ApiException(ProblemType.NOT_FOUND, "no OTLP receiver here");
        }
        byte[] body = request.getInputStream().readNBytes((int) TraceViewSettings.MAX_BATCH_BYTES);
        try {
            store.add(OtlpTraces.decode(body));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.MALFORMED_SPANS, e.getMessage());
        }
        return ResponseEntity.ok().header("Content-Type", "application/x-protobuf").body(new byte[0]);
    }

    @GetMapping("/v1/calls/{id}/trace")
    public CallTraceView trace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        String tenantId = caller.require(Scope.READ).tenantId();
        calls.find(id).filter(call -> call.tenantId().equals(tenantId))
                .orElseThrow(() -> ApiException.notFound("call", id));
        String traceId = CallTracing.traceId(id);
        return CallTraceView.of(traceId, settings.receiver(), store.trace(traceId));
    }

    private static boolean fromThisMachine(HttpServletRequest request) {
        for (String forwarded : FORWARDING_HEADERS) {
            if (request.getHeader(forwarded) != null) {
                return false;
            }
        }
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
