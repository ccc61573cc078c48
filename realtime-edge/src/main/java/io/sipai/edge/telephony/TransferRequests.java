package io.sipai.edge.telephony;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the providers' transfer requests (REST call updates) with one HTTP client and the configured timeout
 * ({@code EDGE_TRANSFER_TIMEOUT_MS}), and turns every way a request can fail (a non-2xx answer, no answer in time,
 * a connection error) into a {@link TransferFailedException} that names the provider and the cause.
 */
public final class TransferRequests {

    private final HttpClient http;
    private final Duration timeout;

    /** @param timeout how long one provider request may take to be answered */
    public TransferRequests(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Thrown (inside the future) when the provider did not take the transfer. */
    public static final class TransferFailedException extends RuntimeException {
        public TransferFailedException(String message) {
            super(message);
        }
    }

    /** A request to {@code uri} with the transfer timeout set. */
    public HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout);
    }

    /** Sends {@code request}; completes when {@code provider} answered 2xx. */
    public CompletableFuture<Void> send(String provider, HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis() + 500L, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : error;
                        boolean timedOut = cause instanceof TimeoutException || cause instanceof HttpTimeoutException;
                        throw new TransferFailedException(provider + (timedOut ? ": no answer within "
                                + timeout.toMillis() + " ms" : ": " + cause.getClass().getSimpleName() + " "
                                + cause.getMessage()));
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw new TransferFailedException(provider + " answered HTTP " + response.statusCode());
                    }
                    return null;
                });
    }

    /** A transfer that cannot be attempted, e.g. for a missing setting. */
    public static CompletableFuture<Void> failed(String message) {
        return CompletableFuture.failedFuture(new TransferFailedException(message));
    }
}
