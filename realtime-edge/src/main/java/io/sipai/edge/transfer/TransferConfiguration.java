package io.sipai.edge.transfer;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.auth.TelephonySettings;
import io.sipai.edge.auth.TwilioSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires call transfers: the provider REST clients ({@link CallTransfers}); the hook is a scanned controller. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JambonzSettings.class)
public class TransferConfiguration {

    @Bean
    CallTransfers callTransfers(TwilioSettings twilio, JambonzSettings jambonz, TelephonySettings telephony,
                                EdgeSettings edge) {
        Duration timeout = Duration.ofMillis(edge.transferTimeoutMs());
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        return new CallTransfers(http, twilio, jambonz, telephony.tokenSecret(), edge.publicUrl(), Clock.systemUTC(),
                timeout);
    }
}
