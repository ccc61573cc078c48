package io.sipai.edge.jambonz.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.sipai.edge.telephony.ProviderCall;
import io.sipai.edge.telephony.TransferRequests;
import io.sipai.schemas.telephony.TransferTarget;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transfers a jambonz call by redirecting it to a signed hook this edge serves: {@code PUT
 * <JAMBONZ_OUTCALL_URL>/{callSid}} with {@code {"call_hook":{"url":..,"method":"POST"}}}, Bearer JAMBONZ_TOKEN.
 * jambonz then requests the hook ({@link JambonzTransferHook}), which answers the verb that hands the caller over,
 * and ends the listen socket. The hook URL's base is {@code EDGE_PUBLIC_URL}, else the one the listen upgrade came
 * in on; its signature ({@link HookSignature}) binds the call, the target and an expiry.
 */
public final class JambonzRedirect {

    /** Path of the transfer hook; the call id follows. */
    static final String HOOK_PATH = "/telephony/jambonz/transfer/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JambonzSettings settings;
    private final HookSignature hooks;
    private final String publicUrl;
    private final TransferRequests requests;
    private final Clock clock;

    /**
     * @param hookSecret {@code TELEPHONY_TOKEN_SECRET}, which signs the hook URLs
     * @param publicUrl  {@code EDGE_PUBLIC_URL}, or null to use the base each listen upgrade came in on
     */
    public JambonzRedirect(JambonzSettings settings, String hookSecret, String publicUrl, TransferRequests requests,
                           Clock clock) {
        this.settings = settings;
        this.hooks = new HookSignature(hookSecret);
        this.publicUrl = publicUrl;
        this.requests = requests;
        this.clock = clock;
    }

    /** Redirects the call to this edge's transfer hook for {@code target}. */
    CompletableFuture<Void> toHook(ProviderCall call, TransferTarget target) {
        if (settings.outcallUrl() == null || settings.token() == null) {
            return TransferRequests.failed("JAMBONZ_OUTCALL_URL and JAMBONZ_TOKEN must be set");
        }
        if (!hooks.configured()) {
            return TransferRequests.failed("TELEPHONY_TOKEN_SECRET is not set (it signs the transfer hook)");
        }
        String base = publicUrl != null ? publicUrl : call.edgeBaseUrl();
        if (base == null) {
            return TransferRequests.failed("no public URL for the transfer hook: set EDGE_PUBLIC_URL");
        }
        String callSid = call.providerCallId();
        if (callSid == null || !callSid.matches("[A-Za-z0-9-]{1,64}")) {
            return TransferRequests.failed("the listen metadata carried no usable callSid");
        }
        long exp = clock.instant().getEpochSecond() + HookSignature.LIFETIME_SECONDS;
        String hook = base + HOOK_PATH + URLEncoder.encode(call.callId(), StandardCharsets.UTF_8) + "?target="
                + URLEncoder.encode(target.uri(), StandardCharsets.UTF_8) + "&exp=" + exp + "&sig="
                + hooks.sign(call.callId(), target.uri(), exp);
        Map<String, Object> callHook = new LinkedHashMap<>();
        callHook.put("url", hook);
        callHook.put("method", "POST");
        HttpRequest request = requests.request(URI.create(settings.outcallUrl() + "/" + callSid))
                .header("Authorization", "Bearer " + settings.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("call_hook", callHook)),
                        StandardCharsets.UTF_8)).build();
        return requests.send("jambonz", request);
    }

    /** Whether a hook request's URL carries this edge's valid, unexpired signature. */
    boolean validHook(String callId, String target, String exp, String sig) {
        return hooks.valid(callId, target, exp, sig, clock.instant());
    }
}
