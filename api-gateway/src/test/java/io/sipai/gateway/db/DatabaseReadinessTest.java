package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

import io.sipai.gateway.db.internal.DatabaseReadiness;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL readiness check answers within its bound whatever the database does (a probe endpoint must answer
 * within about two seconds), and reports a database that refuses or does not answer as not ready.
 */
class DatabaseReadinessTest {

    private static final Duration ANSWER_WITHIN = Duration.ofMillis(300);

    @Test
    void givenAValidConnection_whenAsked_thenReady() throws SQLException {
        // given
        DataSource dataSource = mock(DataSource.class);
        Connection connection = mock(Connection.class);
        when(dataSource.getConnection()).thenReturn(connection);
        when(connection.isValid(2)).thenReturn(true);
        // then
        assertThat(new DatabaseReadiness(dataSource, ANSWER_WITHIN).ready()).isTrue();
    }

    @Test
    void givenThePoolCannotConnect_whenAsked_thenNotReady() throws SQLException {
        // given
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenThrow(new SQLTransientConnectionException("timed out", "08001"));
        // then
        assertThat(new DatabaseReadiness(dataSource, ANSWER_WITHIN).ready()).isFalse();
    }

    @Test
    void givenADatabaseThatDoesNotAnswer_whenAskedTwice_thenEachAnswerComesInTimeAndOneProbeWaits()
            throws SQLException {
        // given: a connection attempt that hangs until released
        CountDownLatch release = new CountDownLatch(1);
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenAnswer(invocation -> {
            release.await();
            throw new SQLTransientConnectionException("timed out", "08001");
        });
        DatabaseReadiness readiness = new DatabaseReadiness(dataSource, ANSWER_WITHIN);
        try {
            // when
            long start = System.nanoTime();
            boolean first = readiness.ready();
            boolean second = readiness.ready();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // then
            assertThat(first).isFalse();
            assertThat(second).isFalse();
            assertThat(took).isLessThan(ANSWER_WITHIN.multipliedBy(2).plusMillis(500));
            verify(dataSource, times(1)).getConnection();
        } finally {
            release.countDown();
        }
    }
}
