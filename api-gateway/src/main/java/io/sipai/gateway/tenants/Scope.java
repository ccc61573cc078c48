package io.sipai.gateway.tenants;

import java.util.Locale;

/** What an API key may do. ADMIN includes WRITE, WRITE includes READ. */
public enum Scope {
    READ, WRITE, ADMIN;

    /** Whether a key holding this scope may do what {@code needed} allows. */
    public boolean covers(Scope needed) {
        return ordinal() >= needed.ordinal();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses read/write/admin; null when unknown. */
    public static Scope parse(String text) {
        for (Scope scope : values()) {
            if (scope.wireName().equals(text)) {
                return scope;
            }
        }
        return null;
    }
}
