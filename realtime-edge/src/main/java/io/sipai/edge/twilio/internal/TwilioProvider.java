package io.sipai.edge.twilio.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.sipai.common.Transport;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.connection.EdgeConnection;
import io.sipai.edge.connection.UpgradeCheck;
import io.sipai.edge.telephony.ProviderCall;
import io.sipai.edge.telephony.TelephonyProvider;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.schemas.telephony.TransferTarget;
import io.sipai.schemas.telephony.TwilioSignature;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketSession;

/**
 * Twilio Media Streams, bidirectional ({@code <Connect><Stream>}), on {@code /telephony/twilio/stream}. The upgrade
 * must carry a valid {@code X-Twilio-Signature} over the public URL (401 missing, 403 wrong) unless the check is
 * switched off ({@code EDGE_TWILIO_SIGNATURE=off}, {@link TwilioStreamSettings}); the per-call token arrives later,
 * in the stream's {@code start} ({@link TwilioConnection}).
 * Transfers update the call through Twilio's REST API ({@link TwilioCallUpdate}).
 */
public final class TwilioProvider implements TelephonyProvider {

    static final String PATH = "/telephony/twilio/stream";

    private final TwilioSignature signature;
    private final boolean signatureRequired;
    private final String publicBaseUrl;
    private final TelephonyTokens tokens;
    private final TwilioCallUpdate calls;

    /**
     * @param signatureRequired whether an upgrade must carry a valid signature; when true and the settings have no
     *                      auth token, every upgrade is refused (startup normally fails first)
     * @param publicBaseUrl {@code REALTIME_WS_URL}: the edge's public ws(s) base as Twilio dials it, or null to
     *                      rebuild it from each upgrade's Host and X-Forwarded-Proto
     */
    public TwilioProvider(TwilioSettings settings, boolean signatureRequired, String publicBaseUrl,
                          TelephonyTokens tokens, TwilioCallUpdate calls) {
        this.signature = new TwilioSignature(settings.authToken());
        this.signatureRequired = signatureRequired;
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null
                : publicBaseUrl.replaceAll("/+$", "");
        this.tokens = tokens;
        this.calls = calls;
    }

    @Override
    public Transport transport() {
        return Transport.TWILIO;
    }

    @Override
    public List<String> paths() {
        return List.of(PATH);
    }

    @Override
    public UpgradeCheck upgradeCheck() {
        return this::checkSignature;
    }

    private UpgradeCheck.Refusal checkSignature(ServerHttpRequest request, Map<String, Object> attributes) {
        if (!signatureRequired) {
            return null;
        }
        if (!signature.configured()) {
            return new UpgradeCheck.Refusal(HttpStatus.FORBIDDEN, "X-Twilio-Signature cannot be checked");
        }
        String presented = request.getHeaders().getFirst("X-Twilio-Signature");
        if (presented == null) {
            return new UpgradeCheck.Refusal(HttpStatus.UNAUTHORIZED, "X-Twilio-Signature missing");
        }
        if (!signature.valid(publicUrl(request), presented)) {
            return new UpgradeCheck.Refusal(HttpStatus.FORBIDDEN, "X-Twilio-Signature invalid");
        }
        return null;
    }

    /** The URL Twilio requested and signed: the public base (configured or as forwarded), path and query. */
    private String publicUrl(ServerHttpRequest request) {
        String base = publicBaseUrl;
        if (base == null) {
            String proto = request.getHeaders().getFirst("X-Forwarded-Proto");
            boolean secure = proto != null ? proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("wss")
                    : "https".equals(request.getURI().getScheme()) || "wss".equals(request.getURI().getScheme());
            String host = request.getHeaders().getFirst(HttpHeaders.HOST);
            base = (secure ? "wss://" : "ws://") + (host != null ? host : request.getURI().getAuthority());
        }
        String query = request.getURI().getRawQuery();
        return base + request.getURI().getRawPath() + (query == null ? "" : "?" + query);
    }

    @Override
    public EdgeConnection open(WebSocketSession ws, ConnectionServices services) {
        return new TwilioConnection(ws, services, this, tokens);
    }

    @Override
    public CompletableFuture<Void> transfer(ProviderCall call, TransferTarget target) {
        return calls.dial(call.accountId(), call.providerCallId(), target);
    }
}
