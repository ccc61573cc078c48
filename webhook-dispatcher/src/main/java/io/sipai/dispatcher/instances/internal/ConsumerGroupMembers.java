package io.sipai.dispatcher.instances.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sipai.dispatcher.instances.DispatcherInstances;
import io.sipai.runtime.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/** The members of a consumer group, asked of the group coordinator through an admin client (one request). */
public final class ConsumerGroupMembers implements DispatcherInstances.Group {

    private static final int TIMEOUT_MS = (int) DispatcherInstances.COUNT_TIMEOUT.toMillis();

    private final Admin admin;
    private final String groupId;

    private ConsumerGroupMembers(Admin admin, String groupId) {
        this.admin = admin;
        this.groupId = groupId;
    }

    /** Members of {@code groupId} on the service's cluster. */
    public static ConsumerGroupMembers of(KafkaSettings kafka, String groupId) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "webhook-dispatcher-instances");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        return new ConsumerGroupMembers(Admin.create(config), groupId);
    }

    @Override
    public List<String> memberClientIds() throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                .get(groupId).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return group.members().stream().map(MemberDescription::clientId).toList();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
