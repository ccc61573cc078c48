package io.sipai.runtime;

/**
 * A part of a service that must keep running for the process to be of any use (a Kafka Streams client, a consumer
 * loop). Every bean of this type is asked by {@code GET /health}: when one is dead and does not heal itself, the
 * endpoint answers 503, so the orchestrator (Kubernetes liveness probe, ECS health check) restarts the process
 * instead of leaving it up and silently idle.
 */
public interface LivenessCheck {

    /** Short name shown in the liveness body, e.g. the consumer loop's name. */
    String name();

    /** Whether the component runs, or is restarting itself; false only when a restart of the process is needed. */
    boolean alive();
}
