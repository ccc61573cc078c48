package io.sipai.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sipai.runtime.logging.RedactingLogCustomizer;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every sipai service shares, added with the lowest precedence so a service's own configuration or the
 * environment can still override them: health and metrics paths, JSON logs (with credentials redacted by
 * {@link RedactingLogCustomizer}), log level from {@code LOG_LEVEL}, metrics switched by {@code ENABLE_METRICS},
 * graceful shutdown, and Boot's multi-line failure report replaced by {@link OneLineFailureReporter}.
 */
public class ServiceDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "sipaiServiceDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoints.web.base-path", "/");
        defaults.put("management.endpoints.web.exposure.include", "prometheus");
        defaults.put("management.endpoints.web.path-mapping.prometheus", "metrics");
        defaults.put("management.prometheus.metrics.export.enabled", "${ENABLE_METRICS:true}");
        defaults.put("logging.structured.format.console", "${LOG_FORMAT:ecs}");
        defaults.put("logging.structured.json.customizer", RedactingLogCustomizer.class.getName());
        defaults.put("logging.level.root", "${LOG_LEVEL:INFO}");
        defaults.put("logging.level.org.apache.kafka", "WARN");
        // A startup failure is reported once, as one line, by OneLineFailureReporter: silence the loggers that
        // would repeat it as a multi-line report.
        defaults.put("logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", "OFF");
        defaults.put("logging.level.org.springframework.boot.autoconfigure.logging.ConditionEvaluationReportLogger",
                "OFF");
        defaults.put("logging.level.org.springframework.boot.web.server.servlet.context", "ERROR");
        defaults.put("server.shutdown", "graceful");
        defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "${DRAIN_TIMEOUT_SEC:30}s");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("spring.main.log-startup-info", "false");
        defaults.put("server.error.whitelabel.enabled", "false");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
