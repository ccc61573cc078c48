package io.sipai.schemas.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only tel: E.164 numbers and sip: URIs are transfer targets; anything an attacker could smuggle is refused. */
class TransferTargetTest {

    @Test
    void givenATelUrl_whenParsed_thenItIsAPhoneTargetWithItsE164Number() {
        TransferTarget target = TransferTarget.parse("tel:+15551234567").orElseThrow();
        assertThat(target.kind()).isEqualTo(TransferTarget.Kind.PHONE);
        assertThat(target.address()).isEqualTo("+15551234567");
    }

    @Test
    void givenASipUri_whenParsed_thenItIsASipTargetKeptAsWritten() {
        TransferTarget target = TransferTarget.parse("sip:support@pbx.example.com:5061;transport=tls").orElseThrow();
        assertThat(target.kind()).isEqualTo(TransferTarget.Kind.SIP);
        assertThat(target.address()).isEqualTo("sip:support@pbx.example.com:5061;transport=tls");
    }

    @Test
    void givenAnythingElse_whenParsed_thenItIsRefused() {
        for (String bad : new String[] {"https://example.com", "tel:5551234567", "tel:+0123456789", "+15551234567",
                "sip:pbx.example.com", "sip:a@b.com<x>", "sip:a@b.com;transport=ws", "tel:+1555</Dial>", "", null}) {
            assertThat(TransferTarget.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
