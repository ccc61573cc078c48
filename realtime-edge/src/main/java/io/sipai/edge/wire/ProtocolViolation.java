package io.sipai.edge.wire;

/** A client broke the wire protocol; the connection is closed with the given code and reason. */
public final class ProtocolViolation extends RuntimeException {

    private final int closeCode;

    public ProtocolViolation(int closeCode, String reason) {
        super(reason);
        this.closeCode = closeCode;
    }

    /** Policy violation (1008) with a reason. */
    public static ProtocolViolation policy(String reason) {
        return new ProtocolViolation(CloseCodes.POLICY, reason);
    }

    public int closeCode() {
        return closeCode;
    }
}
