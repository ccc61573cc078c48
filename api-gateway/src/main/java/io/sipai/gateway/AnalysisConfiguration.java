package io.sipai.gateway;

import io.sipai.gateway.analysis.AnalysisSettings;
import io.sipai.runtime.openai.OpenAiSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The post-call analysis worker's settings and the OpenAI-compatible endpoint it may ask. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AnalysisSettings.class, OpenAiSettings.class})
public class AnalysisConfiguration {
}
