package io.sipai.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/** Descriptions of caught exceptions name the failure even when getMessage() is null. */
class FailuresTest {

    @Test
    void givenAnExceptionWithoutAMessage_whenDescribed_thenItsClassAndCauseAreNamedAndNeverNull() {
        // given
        ConnectException refused = new ConnectException();
        refused.initCause(new ClosedChannelException());
        // when
        String description = Failures.describe(refused);
        // then
        assertThat(description).isEqualTo("ConnectException, caused by ClosedChannelException");
    }

    @Test
    void givenAWrapperWhoseMessageIsItsCause_whenDescribed_thenTheCauseIsNamedOnce() {
        // given
        ExecutionException wrapped = new ExecutionException(new IOException("broker down"));
        // when
        String description = Failures.describe(wrapped);
        // then
        assertThat(description).isEqualTo("ExecutionException, caused by IOException: broker down");
    }
}
