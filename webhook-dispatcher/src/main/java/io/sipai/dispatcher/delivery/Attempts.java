package io.sipai.dispatcher.delivery;

/**
 * What the attempt records the delivery worker writes to {@code webhook.attempts.v1} say to the rest of the
 * dispatcher: the scheduler matches a result to its queue by attempt id, and endpoint health leaves out attempts
 * that made no request.
 */
public final class Attempts {

    /** Error of attempts that made no request because the endpoint is disabled or gone. */
    public static final String ENDPOINT_UNAVAILABLE = "endpoint disabled or deleted";

    private Attempts() {
    }

    /** Attempt id of item {@code index} of run {@code runId}. */
    public static String attemptId(String runId, int index) {
        return runId + "/" + index;
    }
}
