package io.sipai.gateway.telephony.jambonz.internal;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.gateway.telephony.CallOriginator;
import io.sipai.gateway.telephony.TelephonyProvider;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/** jambonz as a telephony provider: webhooks {@link JambonzController}, origination {@link JambonzOriginator}. */
@Component
@EnableConfigurationProperties(JambonzSettings.class)
public class JambonzProvider implements TelephonyProvider {

    private final JambonzOriginator originator;

    public JambonzProvider(JambonzOriginator originator) {
        this.originator = originator;
    }

    @Override
    public String name() {
        return "jambonz";
    }

    @Override
    public Transport transport() {
        return Transport.JAMBONZ;
    }

    @Override
    public EventSource source() {
        return EventSource.JAMBONZ;
    }

    @Override
    public CallOriginator originator() {
        return originator;
    }
}
