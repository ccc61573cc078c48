package io.sipai.processors.admission.internal;

/** What the admission processor remembers about a call. */
public enum SlotStatus {
    /** The call holds a slot until released, ended or its lease expires. */
    HELD,
    /** The call held a slot and released it; kept to answer retried acquires. */
    RELEASED,
    /** The call's lease expired and the slot was reclaimed. */
    RECLAIMED,
    /** The call was refused; kept to answer retried acquires with the same refusal. */
    REJECTED,
    /** A release arrived before any acquire: a late acquire for the call must not take a slot. */
    RELEASED_BEFORE_ACQUIRE
}
