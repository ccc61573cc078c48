package io.sipai.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Ready when the Kafka cluster answers a describe-cluster request with at least one broker. */
public final class KafkaReadinessCheck implements ReadinessCheck, AutoCloseable {

    private static final int TIMEOUT_MS = 2_000;

    private final Admin admin;

    public KafkaReadinessCheck(KafkaSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.clientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, ServiceMain.serviceName() + "-readiness");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        this.admin = Admin.create(config);
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public boolean ready() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
