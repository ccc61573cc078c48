package io.sipai.dispatcher;

import io.sipai.runtime.ServiceMain;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The webhook-dispatcher service: delivers signed webhooks from webhook.outbox.v1. */
@SpringBootApplication
public class DispatcherApplication {

    public static void main(String[] args) {
        int status = ServiceMain.run("webhook-dispatcher", DispatcherApplication.class, args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
