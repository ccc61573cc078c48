package io.sipai.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.sipai.runtime.ServiceDefaults;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * The JSON log line a service writes (ECS, the default format, configured by {@link ServiceDefaults}) carries no
 * credential from the message or the exception, as a WebSocket upgrade URL or a header would bring them.
 */
class StructuredLogRedactionTest {

    @Test
    void anEcsLogLineOfAServiceHasTheCredentialsMasked() {
        // given the environment every service starts with
        StandardEnvironment environment = new StandardEnvironment();
        new ServiceDefaults().postProcessEnvironment(environment, new SpringApplication());
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putObject(Environment.class.getName(), environment);
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(environment.getProperty("logging.structured.format.console"));
        encoder.start();
        // when
        LoggingEvent event = new LoggingEvent("test", context.getLogger("io.sipai.edge.Upgrade"), Level.WARN,
                "refused upgrade GET /realtime/voice?agentId=a1&api_key={} (X-API-Key: {})",
                new IllegalStateException("bad /telephony/twilio/stream?token=tok_secret_2"),
                new Object[] {"sk_secret_1", "sk_secret_3"});
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        // then
        assertThat(line).contains("agentId=a1", "api_key=[REDACTED]", "token=[REDACTED]")
                .doesNotContain("sk_secret_1", "tok_secret_2", "sk_secret_3");
    }
}
