package io.sipai.gateway;

import io.sipai.runtime.ServiceMain;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The api-gateway service: REST API v1 on /v1, telephony webhooks on /telephony, PostgreSQL read models. */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        int status = ServiceMain.run("api-gateway", GatewayApplication.class, args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
