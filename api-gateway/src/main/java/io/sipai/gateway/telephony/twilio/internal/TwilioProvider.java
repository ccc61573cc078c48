package io.sipai.gateway.telephony.twilio.internal;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.TelephonyProvider;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** Twilio as a telephony provider: webhooks {@link TwilioController}, origination {@link TwilioOriginator}. */
@Component
@EnableConfigurationProperties(TwilioSettings.class)
public class TwilioProvider implements TelephonyProvider {

    private final TwilioOriginator originator;

    public TwilioProvider(TwilioOriginator originator) {
        this.originator = originator;
    }

    @Override
    public String name() {
        return "twilio";
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
}
