package io.sipai.gateway.calls.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sipai.gateway.calls.CallAnalyses;
import io.sipai.gateway.calls.CallAnalysis;
import io.sipai.gateway.calls.CallRecordings;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.TelephonyProviders;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.web.Paging;
import io.sipai.timeline.CallStatus;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /v1/calls}: place outbound calls, list and read calls and their timelines (also live), hang up. */
@RestController
public class CallsController {

    private final OutboundCalls outbound;
    private final CallStore calls;
    private final TelephonyProviders providers;
    private final CallEventStreams streams;
    private final CallChangeStreams changeStreams;
    private final CallAnalyses analyses;
    private final CallRecordings recordings;

    public CallsController(OutboundCalls outbound, CallStore calls, TelephonyProviders providers,
                           CallEventStreams streams, CallChangeStreams changeStreams, CallAnalyses analyses,
                           CallRecordings recordings) {
        this.analyses = analyses;
        this.recordings = recordings;
        this.outbound = outbound;
        this.calls = calls;
        this.providers = providers;
        this.streams = streams;
        this.changeStreams = changeStreams;
    }

    /** A timeline entry; {@code event} is the CallEvent as JSON. */
    public record EntryView(long seq, String eventId, String eventType, OffsetDateTime occurredAt, String source,
                            @JsonRawValue String event) {

        static EntryView of(CallStore.Entry entry) {
            return new EntryView(entry.seq(), entry.eventId(), entry.eventType(), entry.occurredAt(), entry.source(),
                    entry.payload());
        }
    }

    @PostMapping("/v1/calls")
    public ResponseEntity<CallView> place(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                          @RequestBody OutboundCalls.PlaceCall body) {
        caller.require(Scope.WRITE);
        // provider is an enum on the wire: an unknown one is a wrong value (400), not an unacceptable one (422).
        if (body.provider() != null && providers.byName(body.provider()).isEmpty()) {
            throw ApiException.notOneOf("provider", body.provider(), providers.names());
        }
        CallView call = outbound.place(caller, body);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", "/v1/calls/" + call.id()).body(call);
    }

    @GetMapping("/v1/calls")
    public CallStore.Page<CallView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         @RequestParam(required = false) String status,
                                         @RequestParam(required = false) String campaignId,
                                         @RequestParam(required = false) String agentId,
                                         @RequestParam(required = false) String createdFrom,
                                         @RequestParam(required = false) String createdTo,
                                         @RequestParam(required = false) String cursor,
                                         @RequestParam(defaultValue = "50") int limit) {
        caller.require(Scope.READ);
        CallStore.Filter filter = new CallStore.Filter(status(status), campaignId, agentId,
                time("createdFrom", createdFrom), time("createdTo", createdTo));
        return calls.list(caller.tenantId(), filter, cursor, Paging.limit("limit", limit));
    }

    @GetMapping("/v1/calls/{id}")
    public CallView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        String tenantId = caller.require(Scope.READ).tenantId();
        return calls.get(tenantId, id).withArtifacts(recordings.find(tenantId, id).orElse(null),
                analyses.find(tenantId, id).orElse(null));
    }

    /** Analyzes an ended call again (the next generation); 409 while the call is not over. */
    @PostMapping("/v1/calls/{id}/analysis")
    public ResponseEntity<CallAnalysis> analyze(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                @PathVariable String id) {
        String tenantId = caller.require(Scope.WRITE).tenantId();
        CallView call = calls.get(tenantId, id);
        if (!CallStatus.ENDED.name().equals(call.status())) {
            throw new ApiException(ProblemType.CONFLICT, "call " + ApiException.quote(id) + " is "
                    + call.status() + "; only an ended call is analyzed");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(analyses.reanalyze(tenantId, id, call.agentId()));
    }

    @GetMapping("/v1/calls/{id}/timeline")
    public CallStore.Page<EntryView> timeline(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                              @PathVariable String id,
                                              @RequestParam(defaultValue = "0") long after,
                                              @RequestParam(defaultValue = "100") int limit) {
        caller.require(Scope.READ);
        CallStore.Page<CallStore.Entry> page = calls.timeline(caller.tenantId(), id, after,
                Paging.limit("limit", limit));
        return new CallStore.Page<>(page.data().stream().map(EntryView::of).toList(), page.nextCursor());
    }

    /**
     * The tenant's calls as Server-Sent Events, live: {@code event: call} with the call's current state each time it
     * changes, after the horizon in {@code Last-Event-ID} (from now without it), {@code event: ready} once caught up,
     * {@code event: reset} when more changed than one stream sends (read the list again).
     */
    @GetMapping(path = "/v1/calls/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter changes(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                              @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                              HttpServletResponse response) {
        String tenantId = caller.require(Scope.READ).tenantId();
        Long after = lastEventId == null || lastEventId.isBlank() ? null
                : number(lastEventId, "Last-Event-ID: must be the id of an event of this stream");
        streamHeaders(response);
        return changeStreams.open(tenantId, after);
    }

    /**
     * The call's timeline as Server-Sent Events, live: the entries after {@code Last-Event-ID} (a seq; from the
     * start without it) as they are projected, then {@code event: end} after its last ({@code CallEnded} or
     * {@code CallRejected}).
     */
    @GetMapping(path = "/v1/calls/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                             HttpServletResponse response) {
        String tenantId = caller.require(Scope.READ).tenantId();
        long after = lastSeq(lastEventId);
        calls.get(tenantId, id);
        streamHeaders(response);
        return streams.open(tenantId, id, after);
    }

    private static void streamHeaders(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        // A proxy that buffers (nginx) would hold the events back until its buffer fills.
        response.setHeader("X-Accel-Buffering", "no");
    }

    @PostMapping("/v1/calls/{id}/hangup")
    public ResponseEntity<CallView> hangup(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                           @PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(outbound.hangup(caller.require(Scope.WRITE), id));
    }

    private static long lastSeq(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        return number(lastEventId, "Last-Event-ID: must be the seq of an entry");
    }

    private static long number(String lastEventId, String problem) {
        try {
            long value = Long.parseLong(lastEventId.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ProblemType.INVALID_PARAMETER, problem, Map.of("field", "Last-Event-ID"));
    }

    private static String status(String status) {
        if (status == null) {
            return null;
        }
        String upper = status.toUpperCase(Locale.ROOT);
        if (Arrays.stream(CallStatus.values()).noneMatch(s -> s.name().equals(upper)) || "UNKNOWN".equals(upper)) {
            throw new ApiException(ProblemType.INVALID_PARAMETER, "status: must be one of requested, admitted, "
                    + "rejected, ringing, in_progress, ended", Map.of("field", "status"));
        }
        return upper;
    }

    private static OffsetDateTime time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(ProblemType.INVALID_PARAMETER, field + ": not an RFC 3339 time", Map.of(
                    "field", field));
        }
    }
}
