package io.sipai.edge.twilio;

import io.sipai.edge.auth.AuthSettings;
import io.sipai.edge.telephony.TelephonyProvider;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.telephony.TransferRequests;
import io.sipai.edge.twilio.internal.TwilioCallUpdate;
import io.sipai.edge.twilio.internal.TwilioProvider;
import io.sipai.edge.twilio.internal.TwilioSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plugs Twilio Media Streams into the edge ({@code TWILIO_*} settings, {@link TwilioProvider}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TwilioSettings.class)
public class TwilioConfiguration {

    @Bean
    TelephonyProvider twilioProvider(TwilioSettings twilio, AuthSettings auth, TelephonyTokens tokens,
                                     TransferRequests requests) {
        return new TwilioProvider(twilio, auth.wsUrl(), tokens, new TwilioCallUpdate(twilio, requests));
    }
}
