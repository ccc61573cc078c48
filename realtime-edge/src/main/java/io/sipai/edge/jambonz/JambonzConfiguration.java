package io.sipai.edge.jambonz;

import java.time.Clock;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.jambonz.internal.JambonzProvider;
import io.sipai.edge.jambonz.internal.JambonzRedirect;
import io.sipai.edge.jambonz.internal.JambonzSettings;
import io.sipai.edge.telephony.TelephonyProvider;
import io.sipai.edge.telephony.TelephonySettings;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.telephony.TransferRequests;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plugs jambonz's {@code listen} into the edge ({@code JAMBONZ_*} settings, {@link JambonzProvider}); the transfer
 * hook jambonz calls back is a scanned controller of this package.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JambonzSettings.class)
public class JambonzConfiguration {

    @Bean
    JambonzRedirect jambonzRedirect(JambonzSettings jambonz, TelephonySettings telephony, EdgeSettings edge,
                                    TransferRequests requests) {
        return new JambonzRedirect(jambonz, telephony.tokenSecret(), edge.publicUrl(), requests, Clock.systemUTC());
    }

    @Bean
    TelephonyProvider jambonzProvider(TelephonyTokens tokens, JambonzRedirect redirect) {
        return new JambonzProvider(tokens, redirect, Clock.systemUTC());
    }
}
