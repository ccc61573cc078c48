package io.sipai.gateway.calls.internal;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.TelephonyProviders;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.web.Paging;
import io.sipai.timeline.CallStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/calls}: place outbound calls, list and read calls and their timelines, hang up. */
@RestController
public class CallsController {

    private final OutboundCalls outbound;
    private final CallStore calls;
    private final TelephonyProviders providers;

    public CallsController(OutboundCalls outbound, CallStore calls, TelephonyProviders providers) {
        this.outbound = outbound;
        this.calls = calls;
        this.providers = providers;
    }

    /** A timeline entry; {@code event} is the CallEvent as JSON. */
    public record EntryView(long seq, String eventId, String eventType, OffsetDateTime occurredAt, String source,
                            @JsonRawValue String event) {
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
        return calls.get(caller.require(Scope.READ).tenantId(), id);
    }

    @GetMapping("/v1/calls/{id}/timeline")
    public CallStore.Page<EntryView> timeline(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                              @PathVariable String id,
                                              @RequestParam(defaultValue = "0") long after,
                                              @RequestParam(defaultValue = "100") int limit) {
        caller.require(Scope.READ);
        CallStore.Page<CallStore.Entry> page = calls.timeline(caller.tenantId(), id, after,
                Paging.limit("limit", limit));
        return new CallStore.Page<>(page.data().stream().map(e -> new EntryView(e.seq(), e.eventId(),
                e.eventType(), e.occurredAt(), e.source(), e.payload())).toList(), page.nextCursor());
    }

    @PostMapping("/v1/calls/{id}/hangup")
    public ResponseEntity<CallView> hangup(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                           @PathVariable String id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(outbound.hangup(caller.require(Scope.WRITE), id));
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
