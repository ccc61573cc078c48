package io.sipai.gateway.problems;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Describes a caught exception for a message or a problem detail. {@code getMessage()} alone is not enough: many
 * I/O exceptions (e.g. the ConnectException of java.net.http) carry no message, and the useful part is often in
 * the cause. The description names each exception of the cause chain with its message, when it has one.
 */
public final class Failures {

    /** How many exceptions of a cause chain are described. */
    private static final int MAX_CHAIN = 4;

    private Failures() {
    }

    /** E.g. {@code ConnectException, caused by ClosedChannelException} or {@code HttpTimeoutException: timed out}. */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable current = failure;
        for (int i = 0; current != null && i < MAX_CHAIN && seen.add(current); i++) {
            if (!text.isEmpty()) {
                text.append(", caused by ");
            }
            text.append(current.getClass().getSimpleName());
            String message = current.getMessage();
            // A wrapper's default message is its cause's toString(); the cause is described next anyway.
            boolean wrapperMessage = current.getCause() != null && current.getCause().toString().equals(message);
            if (message != null && !message.isBlank() && !wrapperMessage) {
                text.append(": ").append(message.strip());
            }
            current = current.getCause();
        }
        return text.toString();
    }
}
