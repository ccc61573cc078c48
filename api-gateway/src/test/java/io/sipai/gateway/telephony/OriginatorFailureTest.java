package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import io.sipai.gateway.telephony.jambonz.internal.JambonzOriginator;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import io.sipai.gateway.telephony.twilio.internal.TwilioOriginator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * When a provider's REST API cannot be reached, the origination failure says why (the exception and its cause),
 * never "null": the connection-refused exception of java.net.http has no message of its own.
 */
class OriginatorFailureTest {

    private static final CallOriginator.Origination CALL = new CallOriginator.Origination("call-1", "ten-1", "agt-1",
            "+14155550199", "+14155550100", Map.of(), null);
    private static String closedBase;

    @BeforeAll
    static void closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedBase = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void givenTwilioUnreachable_whenOriginating_thenTheDetailNamesTheFailureAndNeverNull() {
        // given
        TwilioOriginator twilio = new TwilioOriginator(new TwilioSettings("ACtest", "token", closedBase),
                new TelephonySettings("https://gw.example.com", null, null, null, null), JsonMapper.builder().build());
        // when
        CallOriginator.OriginationException failure = catchThrowableOfType(CallOriginator.OriginationException.class,
                () -> twilio.originate(CALL));
        // then
        assertThat(failure.getMessage()).startsWith("Twilio unreachable: ").contains("ConnectException")
                .doesNotContain("null");
    }

    @Test
    void givenJambonzUnreachable_whenOriginatingOrHangingUp_thenTheDetailNamesTheFailureAndNeverNull() {
        // given
        JambonzOriginator jambonz = new JambonzOriginator(new JambonzSettings(null, closedBase + "/v1/Calls", "tok",
                "app"), new TelephonySettings("https://gw.example.com", null, null, null, null),
                JsonMapper.builder().build());
        // when
        CallOriginator.OriginationException placing = catchThrowableOfType(
                CallOriginator.OriginationException.class, () -> jambonz.originate(CALL));
        CallOriginator.OriginationException ending = catchThrowableOfType(
                CallOriginator.OriginationException.class, () -> jambonz.hangup("sid-1"));
        // then
        for (CallOriginator.OriginationException failure : java.util.List.of(placing, ending)) {
            assertThat(failure.getMessage()).startsWith("jambonz unreachable: ").contains("ConnectException")
                    .doesNotContain("null");
        }
    }

    @Test
    void givenAProviderCallSidThatIsNotAPathSegment_whenHangingUp_thenItIsAnOriginationFailureNotACrash() {
        // given
        TwilioOriginator twilio = new TwilioOriginator(new TwilioSettings("ACtest", "token", closedBase),
                new TelephonySettings("https://gw.example.com", null, null, null, null), JsonMapper.builder().build());
        // when
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> twilio.hangup("CA 1/../x"));
        // then
        assertThat(failure).isInstanceOf(CallOriginator.OriginationException.class);
        assertThat(failure.getMessage()).doesNotContain("null");
    }
}
