package io.sipai.gateway.telephony.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The called party as Twilio and jambonz report it, brought to the directory's E.164 form. */
class CalledNumberTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "+441303763875|+441303763875",
            "441303763875|+441303763875",
            " +14155550199 |+14155550199",
            "sip:+4930123456@sbc.example.com|+4930123456",
            "sip:4930123456@10.0.0.1:5060;user=phone|+4930123456",
            "SIPS:4930123456@sbc.example.com|+4930123456",
            "tel:+1-415-555-0199;phone-context=example.com|+14155550199",
            "\"Front desk\" <sip:+4930123456@sbc.example.com>|+4930123456",
            "+1 (415) 555.0199|+14155550199"})
    void aNumberInAnyProviderFormIsE164(String party, String e164) {
        assertThat(CalledNumber.e164(party)).contains(e164);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"client:alice", "01303763875", "+0123", "+1", "sip:alice@pbx.example.com",
            "+1234567890123456", "4930123456x"})
    void anythingElseIsNoNumber(String party) {
        assertThat(CalledNumber.e164(party)).isEmpty();
    }
}
