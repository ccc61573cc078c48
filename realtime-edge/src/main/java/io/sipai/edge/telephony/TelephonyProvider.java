package io.sipai.edge.telephony;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.sipai.common.Transport;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.connection.EdgeConnection;
import io.sipai.edge.connection.UpgradeCheck;
import io.sipai.schemas.telephony.TransferTarget;
import org.springframework.web.socket.WebSocketSession;

/**
 * A telephony provider's media streams at the edge (Twilio Media Streams, jambonz {@code listen}): everything the
 * edge needs to know about a provider, so the generic code serves any number of them. Each provider contributes one
 * bean of this type from its own package; the edge registers a WebSocket endpoint per provider ({@link #paths()})
 * behind the drain check and the provider's {@link #upgradeCheck()}, lets the provider make the connection of each
 * accepted socket ({@link #open}), and sends a call's transfer to the provider that carries it ({@link #transfer}).
 * The provider's signature secret and REST credentials stay inside its implementation.
 */
public interface TelephonyProvider {

    /** The transport its calls are recorded with (CallStarted.transport); its lower-case name names it in logs. */
    Transport transport();

    /** Paths of its media WebSocket endpoint, e.g. {@code /telephony/twilio/stream}. */
    List<String> paths();

    /**
     * Checks an upgrade to one of {@link #paths()} before the socket opens: the provider's request signature, or the
     * per-call token when the provider carries it in the URL. Draining is checked before.
     */
    UpgradeCheck upgradeCheck();

    /** The subprotocol to answer among those the provider offered, or null to answer none. */
    default String subprotocol(List<String> offered) {
        return null;
    }

    /** The connection of an accepted socket; it speaks the provider's media protocol and starts the call. */
    EdgeConnection open(WebSocketSession ws, ConnectionServices services);

    /**
     * Hands the call over to {@code target} through the provider's REST API; the provider then ends the media stream
     * itself. Completes when the provider accepted; fails with {@link TransferRequests.TransferFailedException}
     * naming the cause (a missing setting, the provider's HTTP status, no answer in time). Never blocks.
     */
    CompletableFuture<Void> transfer(ProviderCall call, TransferTarget target);
}
