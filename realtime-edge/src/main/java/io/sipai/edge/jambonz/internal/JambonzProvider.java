package io.sipai.edge.jambonz.internal;

import java.time.Clock;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketSession;

/**
 * The audio socket of jambonz's {@code listen} verb on {@code /telephony/jambonz/listen} (subprotocol
 * {@code audio.jambonz.org}, {@code audio.drachtio.org} or a deployment's own name: whatever jambonz offers is
 * accepted). The upgrade carries the per-call token in its query ({@code callId}, {@code tenantId}, {@code token};
 * 401 missing, malformed or expired, 403 wrong call, an {@code agentId} other than the token's, or replayed on any
 * edge node (the upgrade waits for the deployment-wide claim of the call's media, one admission round trip), 503
 * when the used-token cache is full or the claim is not decided in time); the call's query parameters are kept for
 * the connection ({@link JambonzConnection}), its agent being the one the token names. Transfers redirect the call
 * to this edge's transfer hook ({@link JambonzRedirect}).
 */
public final class JambonzProvider implements TelephonyProvider {

    /** Session attribute prefix for the query parameters of a listen upgrade. */
    static final String QUERY_PREFIX = "sipai.query.";

    /** Query parameters kept for the connection; the agent is not among them, it comes from the token. */
    private static final List<String> KEPT = List.of("callId", "tenantId", "campaignId", "from", "to",
            "direction", "outRate", "mode");

    private final TelephonyTokens tokens;
    private final JambonzRedirect redirect;
    private final Clock clock;

    public JambonzProvider(TelephonyTokens tokens, JambonzRedirect redirect, Clock clock) {
        this.tokens = tokens;
        this.redirect = redirect;
        this.clock = clock;
    }

    @Override
    public Transport transport() {
        return Transport.JAMBONZ;
    }

    @Override
    public List<String> paths() {
        return List.of("/telephony/jambonz/listen");
    }

    @Override
    public UpgradeCheck upgradeCheck() {
        return this::checkToken;
    }

    private UpgradeCheck.Refusal checkToken(ServerHttpRequest request, Map<String, Object> attributes) {
        TelephonyTokens.Verified verified = tokens.verify(UpgradeCheck.query(request, "callId"),
                UpgradeCheck.query(request, "tenantId"), UpgradeCheck.query(request, "agentId"),
                UpgradeCheck.query(request, "token"), clock.instant());
        HttpStatus refused = verified.result().refusalStatus();
        if (refused != null) {
            return new UpgradeCheck.Refusal(refused, verified.result().describe());
        }
        for (String name : KEPT) {
            String value = UpgradeCheck.query(request, name);
            if (value != null) {
                attributes.put(QUERY_PREFIX + name, value);
            }
        }
        // The agent is the one the verified token names, never the plain query parameter.
        if (verified.agentId() != null) {
            attributes.put(QUERY_PREFIX + "agentId", verified.agentId());
        }
        return null;
    }

    @Override
    public String subprotocol(List<String> offered) {
        return offered.isEmpty() ? null : offered.getFirst();
    }

    @Override
    public EdgeConnection open(WebSocketSession ws, ConnectionServices services) {
        return new JambonzConnection(ws, services, this);
    }

    @Override
    public CompletableFuture<Void> transfer(ProviderCall call, TransferTarget target) {
        return redirect.toHook(call, target);
    }
}
