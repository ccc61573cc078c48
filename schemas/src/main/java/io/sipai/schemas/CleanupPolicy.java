package io.sipai.schemas;

import java.util.Locale;

/** Kafka's {@code cleanup.policy} for a topic. */
public enum CleanupPolicy {
    /** Records expire by retention: an event log. */
    DELETE,
    /** The latest record per key is kept forever: a table's changelog. */
    COMPACT;

    /** The value of the {@code cleanup.policy} topic config. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
