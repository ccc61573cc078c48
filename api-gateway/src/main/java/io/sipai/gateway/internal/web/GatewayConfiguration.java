package io.sipai.gateway.internal.web;

import java.time.Clock;

import io.sipai.gateway.telephony.RealtimeSettings;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers the gateway's settings records and the clock every timestamp comes from. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiSettings.class, TelephonySettings.class, RealtimeSettings.class,
        JambonzSettings.class, TwilioSettings.class})
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
