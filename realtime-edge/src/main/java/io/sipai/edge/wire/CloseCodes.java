package io.sipai.edge.wire;

/** WebSocket close codes the edge uses (RFC 6455 plus the 4xxx application range documented for clients). */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int BAD_DATA = 1007;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int UNAUTHORIZED = 4001;
    public static final int FORBIDDEN = 4003;
    /** Admission no longer holds the call's slot (gone, like HTTP 410): the call ended SLOT_EXPIRED. */
    public static final int SLOT_LOST = 4010;
    public static final int REJECTED = 4029;

    private CloseCodes() {
    }
}
