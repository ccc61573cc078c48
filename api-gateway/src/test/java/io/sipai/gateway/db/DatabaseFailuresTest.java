package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A database that cannot be reached is told from a statement it refuses, in the shapes the pool, the driver, jOOQ
 * and Spring wrap it in, so an outage answers 503 and a bug or a refused value does not.
 */
class DatabaseFailuresTest {

    @Test
    void givenThePoolFoundNoConnectionInTime_whenClassified_thenTheDatabaseIsUnavailable() {
        // given: HikariCP's timeout, wrapped by Spring's transaction manager
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "sipai-db - Connection is not available, request timed out after 5000ms", "08001",
                new PSQLException("Connection to 127.0.0.1:5432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT));
        // then
        assertThat(DatabaseFailures.unavailable(new CannotCreateTransactionException(
                "Could not open JDBC Connection for transaction", timeout))).isTrue();
    }

    @Test
    void givenTheConnectionBrokeOrTheServerShutsDown_whenClassified_thenTheDatabaseIsUnavailable() {
        assertThat(DatabaseFailures.unavailable(new DataAccessException("SQL [select 1]", new PSQLException(
                "An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE)))).isTrue();
        assertThat(DatabaseFailures.unavailable(new DataAccessException("SQL [select 1]", new SQLException(
                "terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("too many clients already", "53300"))).isTrue();
    }

    @Test
    void givenPostgresqlRefusedTheLogin_whenClassified_thenTheDatabaseIsUnavailable() {
        // given: Spring translates the pool timeout's next exception, the refusal itself, without the timeout
        SQLException refused = new SQLException("password authentication failed for user \"sipai\"", "28P01");
        // then
        assertThat(DatabaseFailures.unavailable(new PermissionDeniedDataAccessException("jOOQ", refused))).isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("no pg_hba.conf entry", "28000"))).isTrue();
    }

    @Test
    void givenABatchWhoseStatementLostTheConnection_whenClassified_thenTheNextExceptionIsLookedAt() {
        // given: the JDBC batch failure carries the statement's own error as its next exception
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "25P02", new int[0]);
        batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
        // then
        assertThat(DatabaseFailures.unavailable(new DataAccessException("SQL [insert]", batch))).isTrue();
    }

    @Test
    void givenACommitCutByAServerShutdownWhoseRollbackFindsTheConnectionClosed_whenClassified_thenUnavailable() {
        // given: the commit failed 57P01, HikariCP closed the connection, and Spring throws the rollback's failure,
        // which is all that is left (the commit's is only logged)
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        // then
        assertThat(DatabaseFailures.unavailable(rollback)).isTrue();
        assertThat(DatabaseFailures.unavailable(new SQLException("Connection is closed but not by the pool")))
                .isFalse();
    }

    @Test
    void givenARefusedValueOrAnyOtherFailure_whenClassified_thenTheDatabaseIsNotCalledUnavailable() {
        assertThat(DatabaseFailures.unavailable(new DataAccessException("SQL [insert]", new SQLException(
                "value too long for type character varying(64)", "22001")))).isFalse();
        assertThat(DatabaseFailures.unavailable(new SQLException("duplicate key value", "23505"))).isFalse();
        assertThat(DatabaseFailures.unavailable(new SQLException("relation \"calls\" does not exist", "42P01")))
                .isFalse();
        assertThat(DatabaseFailures.unavailable(new SQLException("insufficient data left in message", "08P01")))
                .isFalse();
        assertThat(DatabaseFailures.unavailable(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseFailures.unavailable(null)).isFalse();
    }
}
