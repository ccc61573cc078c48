package io.sipai.edge;

import io.sipai.runtime.ServiceMain;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The realtime-edge service: WebSocket audio for /realtime/voice, Twilio Media Streams and jambonz listen. */
@SpringBootApplication
public class EdgeApplication {

    public static void main(String[] args) {
        int status = ServiceMain.run("realtime-edge", EdgeApplication.class, args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
