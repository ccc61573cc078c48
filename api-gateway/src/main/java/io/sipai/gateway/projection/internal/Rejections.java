package io.sipai.gateway.projection.internal;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a row the database refuses for good from a failure that passes. PostgreSQL answers a row it will never
 * take with an SQLState of class 22 (data exception: a value too long, text with NUL, a number out of range) or 23
 * (integrity constraint violation: a missing required value); writing it again gives the same answer. Everything
 * else (connection lost, socket timeout, the server shutting down, a serialization conflict) may pass.
 */
final class Rejections {

    private static final String PROTOCOL_VIOLATION = "08P01";

    private Rejections() {
    }

    /**
     * Whether PostgreSQL broke off the statement with a protocol violation (SQLState 08P01). Text it cannot take
     * (a NUL character) does this inside a JDBC batch instead of refusing the row, and costs the connection; written
     * alone, the same row gets a class 22 refusal. A genuinely broken connection gives it too, so this alone does
     * not condemn a row.
     */
    static boolean protocolViolation(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = failure; current != null && seen.add(current); current = next(current)) {
            if (current instanceof SQLException sql && PROTOCOL_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Why the database refused the write for good, or empty when the failure may pass. */
    static Optional<String> reason(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = failure; current != null && seen.add(current); current = next(current)) {
            if (current instanceof SQLException sql && permanent(sql.getSQLState())) {
                return Optional.of("the database refused the row (SQLState " + sql.getSQLState() + "): "
                        + sql.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean permanent(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    /** A JDBC batch failure keeps the statement's own error as its next exception, not as its cause. */
    private static Throwable next(Throwable current) {
        if (current instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getNextException();
        }
        return current.getCause();
    }
}
