package io.sipai.gateway.tenants.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sipai.gateway.projection.Projection;
import io.sipai.runtime.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How many api-gateway instances are running, so that each can enforce its share of a key's rate limit: every
 * instance is one member of the read-model projector's consumer group ({@link Projection#GROUP_ID}), which Kafka
 * already tracks, so no extra coordination is needed. Refreshed every {@value #REFRESH_SEC} s in the background;
 * the answer is never below 1, and an unreachable broker keeps the last count.
 */
@Component
public class GatewayInstances implements AutoCloseable {

    static final int REFRESH_SEC = 10;
    private static final int TIMEOUT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(GatewayInstances.class);

    private final Admin admin;
    private final Thread refresher;
    private volatile int count = 1;

    public GatewayInstances(KafkaSettings kafka) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-gateway-instances");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        this.admin = Admin.create(config);
        this.refresher = Thread.ofPlatform().daemon().name("gateway-instances").start(this::loop);
    }

    /** Live gateway instances, at least 1. */
    public int count() {
        return count;
    }

    /** Asks Kafka now (the background loop does this every {@value #REFRESH_SEC} s). */
    public void refresh() {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Projection.GROUP_ID))
                    .describedGroups().get(Projection.GROUP_ID).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            int members = Math.max(1, group.members().size());
            if (members != count) {
                LOG.info("{} api-gateway instance(s): each enforces 1/{} of every key's rate limit", members,
                        members);
            }
            count = members;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("could not count gateway instances, keeping {}: {}", count, e.toString());
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            refresh();
            try {
                TimeUnit.SECONDS.sleep(REFRESH_SEC);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        refresher.interrupt();
        admin.close();
    }
}
