package io.sipai.gateway;

import io.sipai.gateway.recordings.RetentionSettings;
import io.sipai.runtime.recordings.RecordingStore;
import io.sipai.runtime.recordings.RecordingStoreSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The store realtime-edge writes call recordings to, which the recordings API reads and deletes from. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RecordingStoreSettings.class, RetentionSettings.class})
public class RecordingsConfiguration {

    /** Null when RECORDINGS_STORE is unset: then no call has a recording to serve. */
    @Bean
    RecordingStore recordingStore(RecordingStoreSettings settings) {
        return RecordingStore.of(settings).orElse(null);
    }
}
