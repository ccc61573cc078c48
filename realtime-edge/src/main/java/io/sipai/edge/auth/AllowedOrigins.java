package io.sipai.edge.auth;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The browser Origins allowed on {@code /realtime/voice} ({@code REALTIME_ALLOWED_ORIGINS}). Fail closed: a page
 * of the edge's own origin (Origin host equal to the request's Host) is always allowed, any other browser Origin
 * only when listed, exactly ({@code https://app.example.com}) or with any port
 * ({@code http://staging.example.com:*}); every Origin only with an explicit {@code *}. A request without Origin is
 * not a browser's and passes (the client still authenticates). So an empty setting no longer lets every web page
 * drive a user's credentials into the edge.
 */
public final class AllowedOrigins {

    private final List<String> entries;

    /**
     * @param entries the configured origins: {@code https://app.example.com}, {@code http://staging.example.com:*},
     *                {@code *}
     */
    public AllowedOrigins(List<String> entries) {
        this.entries = entries.stream().map(entry -> entry.toLowerCase(Locale.ROOT).replaceAll("/+$", "")).toList();
    }

    /**
     * Whether a request with this Origin header may upgrade.
     *
     * @param origin the request's Origin, or null
     * @param host   the request's Host header, or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null || entries.contains("*")) {
            return true;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (sameOrigin(normalized, host) || entries.contains(normalized)) {
            return true;
        }
        int port = normalized.lastIndexOf(':');
        String withoutPort = port > normalized.indexOf("://") + 2 ? normalized.substring(0, port) : normalized;
        return entries.contains(withoutPort + ":*");
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
