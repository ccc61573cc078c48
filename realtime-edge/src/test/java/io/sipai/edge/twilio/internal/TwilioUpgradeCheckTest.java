package io.sipai.edge.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import com.twilio.security.RequestValidator;
import io.sipai.edge.connection.UpgradeCheck;
import io.sipai.runtime.InvalidSettingException;
import io.sipai.schemas.telephony.TwilioSignature;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The Media Streams upgrade is checked with the shared {@link TwilioSignature} over the public URL, so a signature
 * Twilio's own helper library accepts opens the stream and any other is refused; the check fails closed unless it
 * is switched off explicitly ({@link TwilioStreamSettings}).
 */
class TwilioUpgradeCheckTest {

    private static final String TOKEN = "twilio-auth-token-test";
    private static final String PUBLIC_BASE = "wss://edge.example.com";
    private static final String URL = PUBLIC_BASE + TwilioProvider.PATH;

    private static UpgradeCheck check(String authToken) {
        return check(authToken, true);
    }

    private static UpgradeCheck check(String authToken, boolean signatureRequired) {
        return new TwilioProvider(new TwilioSettings(authToken, null, null), signatureRequired, PUBLIC_BASE, null,
                null).upgradeCheck();
    }

    private static UpgradeCheck.Refusal upgrade(UpgradeCheck check, String signature) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", TwilioProvider.PATH);
        if (signature != null) {
            request.addHeader("X-Twilio-Signature", signature);
        }
        Map<String, Object> attributes = new HashMap<>();
        return check.check(new ServletServerHttpRequest(request), attributes);
    }

    @Test
    void givenTheSignatureTwilioSendsForThePublicUrl_whenTheStreamUpgrades_thenItIsAccepted() {
        String signature = new TwilioSignature(TOKEN).sign(URL);

        assertThat(new RequestValidator(TOKEN).validate(URL, Map.of(), signature)).isTrue();
        assertThat(upgrade(check(TOKEN), signature)).isNull();
    }

    @Test
    void givenTheSignatureOverTheUrlWithItsDefaultPort_whenTheStreamUpgrades_thenItIsAccepted() {
        String signature = new TwilioSignature(TOKEN).sign("wss://edge.example.com:443" + TwilioProvider.PATH);

        assertThat(upgrade(check(TOKEN), signature)).isNull();
    }

    @Test
    void givenAnotherAccountsSignatureOrNone_whenTheStreamUpgrades_thenItIsRefused403Or401() {
        String foreign = new TwilioSignature("another-token").sign(URL);

        assertThat(upgrade(check(TOKEN), foreign)).isEqualTo(new UpgradeCheck.Refusal(HttpStatus.FORBIDDEN,
                "X-Twilio-Signature invalid"));
        assertThat(upgrade(check(TOKEN), null)).isEqualTo(new UpgradeCheck.Refusal(HttpStatus.UNAUTHORIZED,
                "X-Twilio-Signature missing"));
    }

    @Test
    void givenTheCheckExplicitlyOff_whenTheStreamUpgrades_thenNoSignatureIsNeeded() {
        assertThat(upgrade(check(null, false), null)).isNull();
    }

    @Test
    void givenNoAuthTokenButTheCheckRequired_whenTheStreamUpgrades_thenItIsRefused() {
        assertThat(upgrade(check(null), new TwilioSignature("any-token").sign(URL)).status())
                .isEqualTo(HttpStatus.FORBIDDEN);
    }

    @Test
    void givenNoAuthToken_whenTheEdgeStarts_thenOnlyAnExplicitOffOrNoTwilioLetsItStart() {
        TwilioSettings noToken = new TwilioSettings(null, null, null);

        assertThatThrownBy(() -> new TwilioStreamSettings(null, null).requireTokenFor(noToken))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("TWILIO_AUTH_TOKEN: is not set")
                .hasMessageContaining("EDGE_TWILIO_SIGNATURE=off");
        new TwilioStreamSettings(null, "off").requireTokenFor(noToken);
        new TwilioStreamSettings(false, null).requireTokenFor(noToken);
        assertThatThrownBy(() -> new TwilioStreamSettings(null, "maybe"))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("EDGE_TWILIO_SIGNATURE");
    }
}
