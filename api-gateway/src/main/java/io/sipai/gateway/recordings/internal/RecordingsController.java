package io.sipai.gateway.recordings.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.recordings.RetentionSettings;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.runtime.recordings.RecordingStore;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A call's recording ({@code /v1/calls/{id}/recording}: the audio, with HTTP range requests, and its deletion) and
 * the tenant's retention period ({@code /v1/recordings/retention}). A tenant only ever reaches its own recordings.
 */
@RestController
public class RecordingsController {

    private final RecordingIndex index;
    private final Optional<RecordingStore> store;
    private final RetentionSettings retention;
    private final Clock clock;

    public RecordingsController(RecordingIndex index, Optional<RecordingStore> store, RetentionSettings retention,
                                Clock clock) {
        this.index = index;
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    /** Body of PUT /v1/recordings/retention; null days follows the platform's default. */
    public record Retention(Integer days) {
    }

    /**
     * The audio, whole or one byte range of it (206; several ranges or a malformed header get the whole recording,
     * as HTTP allows), copied from the store as it is read: a file, or ranged reads of an S3 object.
     */
    @GetMapping("/v1/calls/{id}/recording")
    public void get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
                    @RequestHeader(value = HttpHeaders.RANGE, required = false) String range,
                    HttpServletResponse response) throws IOException {
        RecordingIndex.Recording recording = recording(caller.require(Scope.READ).tenantId(), id);
        RecordingStore.Stored stored = store.flatMap(s -> s.open(recording.location()))
                .orElseThrow(() -> ApiException.notFound("recording", id));
        long size = stored.size();
        response.setContentType(recording.contentType());
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.inline()
                .filename(id + extension(recording.contentType())).build().toString());
        response.setHeader("X-Recording-Duration-Ms", Long.toString(recording.durationMs()));
        long first = 0;
        long last = size - 1;
        HttpRange asked = singleRange(range);
        if (asked != null) {
            first = asked.getRangeStart(size);
            last = asked.getRangeEnd(size);
            if (first >= size || last < first) {
                response.setStatus(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE.value());
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
                return;
            }
            response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
        }
        response.setContentLengthLong(last - first + 1);
        if (last >= first) {
            stored.copy(first, last, response.getOutputStream());
        }
    }

    /** The one range a Range header asks for, or null for the whole recording. */
    private static HttpRange singleRange(String header) {
        if (header == null) {
            return null;
        }
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(header);
            return ranges.size() == 1 ? ranges.get(0) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @DeleteMapping("/v1/calls/{id}/recording")
    public ResponseEntity<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        RecordingIndex.Recording recording = recording(caller.require(Scope.WRITE).tenantId(), id);
        RecordingStore files = store.orElseThrow(() -> new ApiException(ProblemType.RECORDINGS_NOT_CONFIGURED,
                "RECORDINGS_STORE is not set on this gateway: the recording's file cannot be deleted"));
        // The file first: a failure leaves the recording listed, so the deletion can be asked for again.
        files.delete(recording.location());
        index.markDeleted(id, OffsetDateTime.now(clock));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/v1/recordings/retention")
    public Map<String, Object> retention(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return view(caller.require(Scope.READ).tenantId());
    }

    @PutMapping("/v1/recordings/retention")
    public Map<String, Object> setRetention(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                            @RequestBody Retention body) {
        String tenantId = caller.require(Scope.ADMIN).tenantId();
        if (body.days() != null && (body.days() < 0 || body.days() > 36_500)) {
            throw ApiException.invalid("days", "must be between 0 (keep until deleted) and 36500, or null for the "
                    + "platform default");
        }
        index.setRetentionDays(tenantId, body.days());
        return view(tenantId);
    }

    private Map<String, Object> view(String tenantId) {
        Integer own = index.retentionDays(tenantId);
        Map<String, Object> view = new HashMap<>();
        view.put("days", own);
        view.put("defaultDays", retention.days());
        view.put("effectiveDays", own != null ? own : retention.days());
        return view;
    }

    private RecordingIndex.Recording recording(String tenantId, String callId) {
        return index.stored(tenantId, callId).orElseThrow(() -> ApiException.notFound("recording", callId));
    }

    private static String extension(String contentType) {
        return contentType.equals("audio/wav") ? ".wav" : "";
    }
}
