package io.sipai.gateway.projection;

import java.util.List;

import io.sipai.schemas.Topics;

/**
 * The read-model projection's public names. Its consumer group is also how gateway instances count each other
 * (every running gateway is one member), so the group id is API: renaming it splits the projection's offsets and
 * the instance count.
 */
public final class Projection {

    /** Consumer group of the projection; one member per running gateway instance. */
    public static final String GROUP_ID = "api-gateway-projection";

    /** Name of the projection's consumer loop (metrics tag, readiness and liveness checks, thread names). */
    public static final String LOOP = "read-model-projection";

    /** The projected topics: call summaries, their timeline entries, webhook delivery attempts. */
    public static final List<String> TOPICS = List.of(Topics.CALL_TIMELINE.name(),
            Topics.CALL_TIMELINE_ENTRIES.name(), Topics.WEBHOOK_ATTEMPTS.name());

    private Projection() {
    }
}
