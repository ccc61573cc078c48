package io.sipai.gateway.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import io.sipai.gateway.problems.ApiException;

/**
 * Checks a URL a client submits (webhook and tool endpoints) before anything uses it. java.net.URI parses a
 * host it cannot read as a server name ({@code under_score.example}, {@code 127.1}, {@code 1.2.3}) as a
 * registry-based authority with a null host, so an absolute URL is not enough: it must name a host and a valid
 * port. Every refusal is a 422 naming the field.
 */
public final class UrlField {

    /** Longest accepted URL (the webhooks table keeps up to 2048 characters). */
    public static final int MAX_LENGTH = 2_048;

    private UrlField() {
    }

    /** The parsed URL when it is absolute, of one of {@code schemes}, with a host and a port in 1-65535. */
    public static URI check(String field, String url, Set<String> schemes) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalid(field, "is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw ApiException.invalid(field, "must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, "is not a URL");
        }
        // Set.of(..).contains(null) throws, and a relative URL has no scheme.
        if (uri.isOpaque() || uri.getScheme() == null || !schemes.contains(uri.getScheme())) {
            throw ApiException.invalid(field, "must be an absolute " + String.join(" or ", schemes.stream().sorted()
                    .toList()) + " URL");
        }
        if (uri.getHost() == null) {
            throw ApiException.invalid(field, "must name a host: a DNS name (letters, digits, - and .) or an IP "
                    + "address");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw ApiException.invalid(field, "has a port outside 1-65535");
        }
        return uri;
    }
}
