package io.sipai.runtime.probe;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest sipai service: only what service-runtime gives every service. */
@SpringBootApplication
public class ProbeApplication {
}
