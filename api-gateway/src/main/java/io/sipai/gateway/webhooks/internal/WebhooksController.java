package io.sipai.gateway.webhooks.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.web.Paging;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/webhooks}: subscriptions, secret rotation, the delivery log and replays. */
@RestController
public class WebhooksController {

    private final WebhookService webhooks;

    public WebhooksController(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    /** Body of POST /v1/webhooks/{id}/replay: one event, or a time range [from, to). */
    public record ReplayRequest(String eventId, Instant from, Instant to) {
    }

    @PostMapping("/v1/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    public WebhookService.WebhookView create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                             @RequestBody WebhookService.WebhookSpec spec) {
        return webhooks.create(caller.require(Scope.WRITE).tenantId(), spec);
    }

    @GetMapping("/v1/webhooks")
    public Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return Map.of("data", webhooks.list(caller.require(Scope.READ).tenantId()));
    }

    @GetMapping("/v1/webhooks/{id}")
    public WebhookService.WebhookView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                          @PathVariable String id) {
        return webhooks.get(caller.require(Scope.READ).tenantId(), id);
    }

    @PutMapping("/v1/webhooks/{id}")
    public WebhookService.WebhookView replace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                              @PathVariable String id,
                                              @RequestBody WebhookService.WebhookSpec spec) {
        return webhooks.replace(caller.require(Scope.WRITE).tenantId(), id, spec);
    }

    @DeleteMapping("/v1/webhooks/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        webhooks.delete(caller.require(Scope.WRITE).tenantId(), id);
    }

    @PostMapping("/v1/webhooks/{id}/rotate-secret")
    public WebhookService.WebhookView rotate(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                             @PathVariable String id) {
        return webhooks.rotate(caller.require(Scope.WRITE).tenantId(), id);
    }

    @GetMapping("/v1/webhooks/{id}/attempts")
    public Map<String, Object> attempts(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
                                        @RequestParam(required = false) String cursor,
                                        @RequestParam(defaultValue = "50") int limit) {
        List<WebhookService.AttemptView> page = webhooks.attempts(caller.require(Scope.READ).tenantId(), id, cursor,
                Paging.limit("limit", limit));
        String next = page.size() == limit ? page.getLast().id() : null;
        return next == null ? Map.of("data", page) : Map.of("data", page, "nextCursor", next);
    }

    @PostMapping("/v1/webhooks/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> replay(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id,
                                      @RequestBody ReplayRequest body) {
        return Map.of("replayId", webhooks.replay(caller.require(Scope.WRITE).tenantId(), id, body.eventId(),
                body.from(), body.to()));
    }
}
