package io.sipai.edge;

import static io.sipai.runtime.InvalidSettingException.inRange;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the realtime edge; every field has a default, so none is required.
 *
 * @param admissionTimeoutMs  {@code EDGE_ADMISSION_TIMEOUT_MS}: how long a {@code /realtime/voice} start waits for
 *                            the admission decision before the call fails with a timeout error, and a telephony
 *                            media connection for the claim of its token before it is refused (default 5000)
 * @param heartbeatIntervalSec {@code EDGE_HEARTBEAT_INTERVAL_SEC}: period of the admission heartbeats of every call
 *                            whose slot this node holds (default 5); keep it well below stream-processors'
 *                            {@code TELEPHONY_HEARTBEAT_TIMEOUT_SEC} (20), after which admission frees the slot and
 *                            ends the call EDGE_LOST, so that a few failed heartbeats in a row do not end live calls
 * @param eventQueueCapacity  {@code EDGE_EVENT_QUEUE_CAPACITY}: events buffered for Kafka before overflow (10000)
 * @param outboundBufferMs    {@code EDGE_OUTBOUND_BUFFER_MS}: audio queued per connection towards a client (1000)
 * @param slowReaderTimeoutMs {@code EDGE_SLOW_READER_TIMEOUT_MS}: how long the outbound buffer may stay full before
 *                            the client is closed with 1008 (default 3000); see {@link #sendTimeoutMs()}
 * @param maxFrameBytes       {@code EDGE_MAX_FRAME_BYTES}: largest accepted WebSocket message (default 65536)
 * @param socketBufferBytes   {@code EDGE_SOCKET_BUFFER_BYTES}: per-connection read buffer; larger messages are
 *                            assembled from parts up to maxFrameBytes (default 8192)
 * @param inboundBurstMs      {@code EDGE_INBOUND_BURST_MS}: audio a client may send ahead of real time before the
 *                            excess is dropped (default 1000)
 * @param vadThresholdDb      {@code EDGE_VAD_THRESHOLD_DB}: default speech energy threshold in dBFS (default -45)
 * @param vadStartMs          {@code EDGE_VAD_START_MS}: speech needed to report a start (default 60)
 * @param vadHangoverMs       {@code EDGE_VAD_HANGOVER_MS}: default silence that ends speech (default 700)
 * @param vadPauseMs          {@code EDGE_VAD_PAUSE_MS}: default short silence that ends a turn whose words read as a
 *                            finished utterance, for calls without an agent (default 250; 0 waits for the hangover);
 *                            an agent's {@code endpointing.pauseMs} decides for its calls
 * @param jitterSlots         {@code EDGE_JITTER_SLOTS}: reorder window in frames (default 8)
 * @param nodeName            {@code EDGE_NODE_NAME}: name put in CallStarted.edgeNode (default: host name)
 * @param publicUrl           {@code EDGE_PUBLIC_URL}: public http(s) base URL of this node's HTTP endpoints as
 *                            providers reach them (the jambonz transfer hook); unset, it is derived per call from the
 *                            listen upgrade's Host and X-Forwarded-Proto headers
 * @param transferTimeoutMs   {@code EDGE_TRANSFER_TIMEOUT_MS}: how long the provider's REST API (Twilio, jambonz)
 *                            may take to answer a transfer before it fails back to the agent (default 5000)
 * @param journalDir          {@code EDGE_JOURNAL_DIR}: directory of the local event journal, where every call event
 *                            is written before it is queued for Kafka, so events not yet acknowledged survive a
 *                            crash and are sent at the next start; unset (default) keeps events in memory only.
 *                            One directory per edge process, on a disk that outlives the process
 * @param journalMaxMb        {@code EDGE_JOURNAL_MAX_MB}: disk the journal may use (default 256); when unacknowledged
 *                            events fill it (a long broker outage), further events are kept in memory only
 */
@ConfigurationProperties("edge")
public record EdgeSettings(Integer admissionTimeoutMs, Integer heartbeatIntervalSec, Integer eventQueueCapacity,
                           Integer outboundBufferMs, Integer slowReaderTimeoutMs, Integer maxFrameBytes,
                           Integer socketBufferBytes, Integer inboundBurstMs, Double vadThresholdDb,
                           Integer vadStartMs, Integer vadHangoverMs, Integer vadPauseMs, Integer jitterSlots, String nodeName,
                           String publicUrl, Integer transferTimeoutMs, String journalDir, Integer journalMaxMb) {

    public EdgeSettings {
        admissionTimeoutMs = inRange("EDGE_ADMISSION_TIMEOUT_MS", admissionTimeoutMs, 5000, 100, 120_000);
        heartbeatIntervalSec = inRange("EDGE_HEARTBEAT_INTERVAL_SEC", heartbeatIntervalSec, 5, 1, 3600);
        eventQueueCapacity = inRange("EDGE_EVENT_QUEUE_CAPACITY", eventQueueCapacity, 10_000, 10, 10_000_000);
        outboundBufferMs = inRange("EDGE_OUTBOUND_BUFFER_MS", outboundBufferMs, 1000, 100, 60_000);
        slowReaderTimeoutMs = inRange("EDGE_SLOW_READER_TIMEOUT_MS", slowReaderTimeoutMs, 3000, 100, 600_000);
        maxFrameBytes = inRange("EDGE_MAX_FRAME_BYTES", maxFrameBytes, 65_536, 1024, 16 * 1024 * 1024);
        socketBufferBytes = inRange("EDGE_SOCKET_BUFFER_BYTES", socketBufferBytes, 8192, 1024, maxFrameBytes);
        inboundBurstMs = inRange("EDGE_INBOUND_BURST_MS", inboundBurstMs, 1000, 100, 60_000);
        vadThresholdDb = vadThresholdDb == null ? -45.0 : vadThresholdDb;
        if (vadThresholdDb > 0 || vadThresholdDb < -96) {
            throw new InvalidSettingException("EDGE_VAD_THRESHOLD_DB", "must be between -96 and 0 dBFS, was "
                    + vadThresholdDb);
        }
        vadStartMs = inRange("EDGE_VAD_START_MS", vadStartMs, 60, 20, 5000);
        vadHangoverMs = inRange("EDGE_VAD_HANGOVER_MS", vadHangoverMs, 700, 20, 10_000);
        vadPauseMs = inRange("EDGE_VAD_PAUSE_MS", vadPauseMs, 250, 0, 10_000);
        jitterSlots = inRange("EDGE_JITTER_SLOTS", jitterSlots, 8, 1, 100);
        nodeName = nodeName == null || nodeName.isBlank() ? hostName() : nodeName.strip();
        publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip().replaceAll("/+$", "");
        if (publicUrl != null && !publicUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new InvalidSettingException("EDGE_PUBLIC_URL", "must be an http(s) URL without query, e.g. "
                    + "https://edge.example.com");
        }
        transferTimeoutMs = inRange("EDGE_TRANSFER_TIMEOUT_MS", transferTimeoutMs, 5000, 100, 60_000);
        journalDir = journalDir == null || journalDir.isBlank() ? null : journalDir.strip();
        journalMaxMb = inRange("EDGE_JOURNAL_MAX_MB", journalMaxMb, 256, 1, 1_000_000);
    }

    /** All defaults; for tests and tools. */
    public static EdgeSettings defaults() {
        return new EdgeSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    /**
     * How long one send may stay pending before the container fails it: longer than the slow-reader check takes to
     * fire (buffer filling, then {@code slowReaderTimeoutMs} full), because Jetty closes the socket itself when its
     * timeout fires and the call would end as a hang-up instead of a slow reader.
     */
    public long sendTimeoutMs() {
        return outboundBufferMs + 2L * slowReaderTimeoutMs;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "realtime-edge";
        }
    }
}
