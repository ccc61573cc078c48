package io.sipai.edge.transfer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.sipai.edge.auth.TwilioSettings;
import io.sipai.edge.transfer.internal.HookSignature;
import io.sipai.schemas.telephony.TransferTarget;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transfers a live call through its telephony provider. Twilio: the call is updated with new TwiML
 * ({@code POST <TWILIO_API_BASE_URL>/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json},
 * {@code Twiml=<Response><Dial>...</Dial></Response>}, Basic auth AccountSid:TWILIO_AUTH_TOKEN). jambonz: the call
 * is redirected to a signed hook this edge serves ({@code PUT <JAMBONZ_OUTCALL_URL>/{callSid}} with
 * {@code {"call_hook":{"url":..,"method":"POST"}}}, Bearer JAMBONZ_TOKEN), which answers with a {@code sip:refer} or
 * {@code dial} verb ({@link JambonzTransferHook}). Each request has the configured timeout; any non-2xx
 * answer, timeout or missing setting fails the future with a {@link TransferFailedException} naming the cause.
 */
public final class CallTransfers {

    /** Path of the jambonz transfer hook; the call id follows. */
    public static final String HOOK_PATH = "/telephony/jambonz/transfer/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final TwilioSettings twilio;
    private final JambonzSettings jambonz;
    private final HookSignature hooks;
    private final String publicUrl;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param hookSecret {@code TELEPHONY_TOKEN_SECRET}, which signs the jambonz hook URLs
     * @param publicUrl  {@code EDGE_PUBLIC_URL}, or null to derive the hook's base from each listen upgrade
     * @param timeout    {@code EDGE_TRANSFER_TIMEOUT_MS}: how long one provider request may take to be answered
     */
    public CallTransfers(HttpClient http, TwilioSettings twilio, JambonzSettings jambonz, String hookSecret,
                         String publicUrl, Clock clock, Duration timeout) {
        this.http = http;
        this.twilio = twilio;
        this.jambonz = jambonz;
        this.hooks = new HookSignature(hookSecret);
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Thrown (inside the future) when the provider did not take the transfer. */
    public static final class TransferFailedException extends RuntimeException {
        public TransferFailedException(String message) {
            super(message);
        }
    }

    /** Redirects a Twilio call to dial {@code target}; {@code startAccountSid} unless TWILIO_ACCOUNT_SID is set. */
    public CompletableFuture<Void> twilio(String startAccountSid, String callSid, TransferTarget target) {
        String account = twilio.accountSid() != null ? twilio.accountSid() : startAccountSid;
        if (twilio.authToken() == null) {
            return failed("TWILIO_AUTH_TOKEN is not set");
        }
        if (account == null || !account.matches("[A-Za-z0-9]{1,64}") || callSid == null
                || !callSid.matches("[A-Za-z0-9]{1,64}")) {
            return failed("the stream's start carried no usable accountSid/callSid");
        }
        String form = "Twiml=" + URLEncoder.encode(twiml(target), StandardCharsets.UTF_8);
        String credentials = Base64.getEncoder().encodeToString((account + ":" + twilio.authToken())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(twilio.apiBaseUrl() + "/2010-04-01/Accounts/"
                        + account + "/Calls/" + callSid + ".json"))
                .timeout(timeout)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)).build();
        return send("Twilio", request);
    }

    /** Redirects a jambonz call to this edge's transfer hook for {@code target}. */
    public CompletableFuture<Void> jambonz(String callSid, String callId, String derivedBase, TransferTarget target) {
        if (jambonz.outcallUrl() == null || jambonz.token() == null) {
            return failed("JAMBONZ_OUTCALL_URL and JAMBONZ_TOKEN must be set");
        }
        if (!hooks.configured()) {
            return failed("TELEPHONY_TOKEN_SECRET is not set (it signs the transfer hook)");
        }
        String base = publicUrl != null ? publicUrl : derivedBase;
        if (base == null) {
            return failed("no public URL for the transfer hook: set EDGE_PUBLIC_URL");
        }
        if (callSid == null || !callSid.matches("[A-Za-z0-9-]{1,64}")) {
            return failed("the listen metadata carried no usable callSid");
        }
        long exp = clock.instant().getEpochSecond() + HookSignature.LIFETIME_SECONDS;
        String hook = base + HOOK_PATH + URLEncoder.encode(callId, StandardCharsets.UTF_8) + "?target="
                + URLEncoder.encode(target.uri(), StandardCharsets.UTF_8) + "&exp=" + exp + "&sig="
                + hooks.sign(callId, target.uri(), exp);
        Map<String, Object> callHook = new LinkedHashMap<>();
        callHook.put("url", hook);
        callHook.put("method", "POST");
        HttpRequest request = HttpRequest.newBuilder(URI.create(jambonz.outcallUrl() + "/" + callSid))
                .timeout(timeout)
                .header("Authorization", "Bearer " + jambonz.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("call_hook", callHook)),
                        StandardCharsets.UTF_8)).build();
        return send("jambonz", request);
    }

    /** Checks a hook request's URL signature. */
    boolean validHook(String callId, String target, String exp, String sig) {
        return hooks.valid(callId, target, exp, sig, clock.instant());
    }

    /**
     * The public http(s) base of this node as the provider reached it: {@code X-Forwarded-Proto} (https/wss means
     * https) or the request's scheme, and the {@code Host} header.
     */
    public static String publicBase(HttpHeaders headers, URI requestUri) {
        String proto = headers.getFirst("X-Forwarded-Proto");
        String scheme = proto != null ? proto.strip() : requestUri == null ? null : requestUri.getScheme();
        boolean secure = scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("wss"));
        String host = headers.getFirst(HttpHeaders.HOST);
        if (host == null && requestUri != null) {
            host = requestUri.getRawAuthority();
        }
        return host == null || host.isBlank() ? null : (secure ? "https://" : "http://") + host.strip();
    }

    /** The TwiML that dials the target: a number, or {@code <Sip>} for a SIP URI; XML-escaped. */
    static String twiml(TransferTarget target) {
        String dial = target.kind() == TransferTarget.Kind.PHONE ? xml(target.address())
                : "<Sip>" + xml(target.uri()) + "</Sip>";
        return "<Response><Dial>" + dial + "</Dial></Response>";
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    private CompletableFuture<Void> send(String provider, HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis() + 500L, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : error;
                        boolean timedOut = cause instanceof TimeoutException
                                || cause instanceof java.net.http.HttpTimeoutException;
                        throw new TransferFailedException(provider + (timedOut ? ": no answer within "
                                + timeout.toMillis() + " ms" : ": " + cause.getClass().getSimpleName() + " "
                                + cause.getMessage()));
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw new TransferFailedException(provider + " answered HTTP " + response.statusCode());
                    }
                    return null;
                });
    }

    private static CompletableFuture<Void> failed(String message) {
        return CompletableFuture.failedFuture(new TransferFailedException(message));
    }
}
