package io.sipai.processors;

import io.sipai.runtime.ServiceMain;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stream-processors service: Kafka Streams apps for timelines and admission; HTTP for health, metrics, counters.
 */
@SpringBootApplication
public class ProcessorsApplication {

    public static void main(String[] args) {
        int status = ServiceMain.run("stream-processors", ProcessorsApplication.class, args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
