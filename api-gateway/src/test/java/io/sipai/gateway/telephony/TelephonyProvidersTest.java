package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import org.junit.jupiter.api.Test;

/** The provider registry: name order, the default provider, and one name per provider. */
class TelephonyProvidersTest {

    @Test
    void givenProvidersInAnyOrder_whenAsked_thenNamesAreSortedAndTheFirstConfiguredIsTheDefault() {
        // given
        TelephonyProviders providers = new TelephonyProviders(List.of(provider("twilio", true),
                provider("vonage", true), provider("jambonz", false)));
        // when / then
        assertThat(providers.names()).containsExactly("jambonz", "twilio", "vonage");
        assertThat(providers.firstConfigured()).map(TelephonyProvider::name).contains("twilio");
        assertThat(providers.byName("vonage")).isPresent();
        assertThat(providers.byName("sinch")).isEmpty();
        assertThat(providers.settingsHint()).isEqualTo("JAMBONZ_* or TWILIO_* or VONAGE_*");
    }

    @Test
    void givenTwoProvidersOfOneName_whenRegistered_thenStartupFails() {
        // when / then
        assertThatThrownBy(() -> new TelephonyProviders(List.of(provider("twilio", true), provider("twilio", false))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("twilio");
    }

    private static TelephonyProvider provider(String name, boolean configured) {
        CallOriginator originator = new CallOriginator() {
            @Override
            public boolean configured() {
                return configured;
            }

            @Override
            public String originate(Origination call) {
                throw new OriginationException("not in this test");
            }

            @Override
            public void hangup(String providerCallSid) {
                throw new OriginationException("not in this test");
            }
        };
        return new TelephonyProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Transport transport() {
                return Transport.TWILIO;
            }

            @Override
            public EventSource source() {
                return EventSource.TWILIO;
            }

            @Override
            public CallOriginator originator() {
                return originator;
            }
        };
    }
}
