package io.sipai.processors.admission.internal;

/** What the admission processor remembers about a call. */
public enum SlotStatus {
    /** The call holds a slot until released, ended or its lease runs out. */
    HELD,
    /** The call held a slot and released it; kept to answer retried acquires and late heartbeats. */
    RELEASED,
    /**
     * The call's lease ran out and the slot was freed: the TTL of a slot that never received a heartbeat
     * (SLOT_EXPIRED), or the heartbeat timeout of one a realtime-edge node held (EDGE_LOST).
     */
    RECLAIMED,
    /** The call was refused; kept to answer retried acquires with the same refusal. */
    REJECTED,
    /** A release arrived before any acquire: a late acquire for the call must not take a slot. */
    RELEASED_BEFORE_ACQUIRE
}
