package io.sipai.runtime;

/**
 * Something a service needs before it can take traffic (Kafka, PostgreSQL, a loaded model). Every bean of this
 * type is asked by {@code GET /health/ready}; the service is ready when all of them are.
 */
public interface ReadinessCheck {

    /** Short name shown in the readiness body, e.g. {@code kafka}. */
    String name();

    /** Whether the dependency is usable now. Must answer within about two seconds. */
    boolean ready();
}
