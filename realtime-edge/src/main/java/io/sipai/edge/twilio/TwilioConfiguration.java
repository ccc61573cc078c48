package io.sipai.edge.twilio;

import io.sipai.edge.auth.AuthSettings;
import io.sipai.edge.telephony.TelephonyProvider;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.telephony.TransferRequests;
import io.sipai.edge.twilio.internal.TwilioCallUpdate;
import io.sipai.edge.twilio.internal.TwilioProvider;
import io.sipai.edge.twilio.internal.TwilioSettings;
import io.sipai.edge.twilio.internal.TwilioStreamSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugs Twilio Media Streams into the edge ({@code TWILIO_*} settings, {@link TwilioProvider}) unless
 * {@code EDGE_TWILIO_ENABLED=false}; without {@code TWILIO_AUTH_TOKEN} startup fails unless the signature check is
 * explicitly off ({@link TwilioStreamSettings}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "edge.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({TwilioSettings.class, TwilioStreamSettings.class})
public class TwilioConfiguration {

    @Bean
    TelephonyProvider twilioProvider(TwilioSettings twilio, TwilioStreamSettings stream, AuthSettings auth,
                                     TelephonyTokens tokens, TransferRequests requests) {
        stream.requireTokenFor(twilio);
        return new TwilioProvider(twilio, stream.signatureRequired(), auth.wsUrl(), tokens,
                new TwilioCallUpdate(twilio, requests));
    }
}
