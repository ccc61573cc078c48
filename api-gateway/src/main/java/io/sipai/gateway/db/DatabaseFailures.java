package io.sipai.gateway.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a database that cannot be reached from any other failure, so a request answers 503 (try again) instead of
 * 500 (a bug). The failure is found anywhere in the cause chain, since jOOQ and Spring wrap the driver's exception:
 * the pool found no connection in time ({@link SQLTransientConnectionException}), the driver lost or could not
 * open the connection (SQLState class 08, but for the protocol violation 08P01), the server refused the login
 * (class 28: a password rotated and not yet picked up; the pool reports it as the next exception of its timeout, so
 * Spring's translation may keep only it), the server is shutting down or starting up (57P01, 57P02, 57P03), or it
 * lacks resources (class 53, e.g. too many connections). Also a connection the pool itself closed after such a
 * failure: HikariCP's "Connection is closed", with no SQLState, is what a rollback after a commit cut by a server
 * shutdown fails with, and Spring throws that rollback failure instead of the commit's.
 */
public final class DatabaseFailures {

    /** HikariCP's message for a statement on a connection it has closed (its proxy sets no SQLState). */
    private static final String POOL_CLOSED = "Connection is closed";
    /** How many exceptions of a failure (causes and next exceptions) are looked at. */
    private static final int MAX_EXCEPTIONS = 32;

    private DatabaseFailures() {
    }

    /** Whether the failure means the database is not reachable now (rather than a refused or wrong statement). */
    public static boolean unavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        add(pending, failure);
        while (!pending.isEmpty() && seen.size() < MAX_EXCEPTIONS) {
            Throwable current = pending.poll();
            if (!seen.add(current)) {
                continue;
            }
            if (current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException
                    || current instanceof SQLRecoverableException) {
                return true;
            }
            if (current instanceof SQLException sql) {
                if (unreachable(sql.getSQLState())
                        || sql.getSQLState() == null && POOL_CLOSED.equals(sql.getMessage())) {
                    return true;
                }
                // A JDBC batch failure keeps the statement's own error as its next exception, not as its cause.
                add(pending, sql.getNextException());
            }
            add(pending, current.getCause());
        }
        return false;
    }

    private static boolean unreachable(String sqlState) {
        // 08P01, a protocol violation, is PostgreSQL's answer to some text it cannot take, not a lost connection.
        return sqlState != null && (sqlState.startsWith("08") && !sqlState.equals("08P01")
                || sqlState.startsWith("28") || sqlState.startsWith("53") || sqlState.equals("57P01")
                || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    private static void add(Deque<Throwable> pending, Throwable failure) {
        if (failure != null) {
            pending.add(failure);
        }
    }
}
