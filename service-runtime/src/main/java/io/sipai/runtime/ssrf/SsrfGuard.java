package io.sipai.dispatcher.ssrf;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.sipai.dispatcher.ssrf.internal.AddressPolicy;
import io.sipai.dispatcher.ssrf.internal.LiteralBytes;
import io.sipai.dispatcher.ssrf.internal.LiteralBytes.HostKind;

/**
 * Keeps webhooks away from internal networks. {@link #check(String)} is for subscription time (the API can call
 * it before it stores a URL); {@link #resolve(String)} is for connect time: it resolves the host once, checks
 * every address, and returns the one to connect to, so a DNS answer that changes between check and connect
 * (rebinding) cannot reach a forbidden address. Entries of the allow-list ({@code WEBHOOK_ALLOWED_HOSTS},
 * {@code host} or {@code host:port}) bypass the address check, for development and tests.
 */
public final class SsrfGuard {

    /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<AllowEntry> allowList;
    private final Resolver resolver;

    private record AllowEntry(String host, Integer port) {
        boolean matches(String candidate, int candidatePort) {
            return host.equals(candidate) && (port == null || port == candidatePort);
        }
    }

    /**
     * @param allowList entries {@code host}, {@code host:port} or {@code [v6]:port} that are always allowed
     * @param resolver  DNS resolution
     */
    public SsrfGuard(List<String> allowList, Resolver resolver) {
        this.allowList = allowList.stream().map(SsrfGuard::parseEntry).toList();
        this.resolver = resolver;
    }

    /** A guard with the system resolver. */
    public SsrfGuard(List<String> allowList) {
        this(allowList, InetAddress::getAllByName);
    }

    /** Subscription-time check: the URL is well formed and its host resolves only to allowed addresses. */
    public void check(String url) throws SsrfRefusedException {
        resolve(url);
    }

    /** Connect-time check: the address to connect to for {@code url}. */
    public CheckedTarget resolve(String url) throws SsrfRefusedException {
        URI uri = parse(url);
        boolean tls = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        HostKind kind = LiteralBytes.kind(host);
        if (kind == HostKind.AMBIGUOUS_NUMERIC) {
            throw new SsrfRefusedException("host '" + host + "' is a non-canonical IP address spelling");
        }
        InetAddress[] addresses = addresses(host, kind);
        boolean hostAllowed = allowed(host, port);
        for (InetAddress address : addresses) {
            Optional<String> reason = AddressPolicy.forbidden(address);
            if (reason.isPresent() && !hostAllowed && !allowed(address.getHostAddress(), port)) {
                throw new SsrfRefusedException("host '" + host + "' resolves to a forbidden " + reason.get());
            }
        }
        return new CheckedTarget(uri, host, port, tls, addresses[0]);
    }

    private InetAddress[] addresses(String host, HostKind kind) throws SsrfRefusedException {
        try {
            if (kind == HostKind.NAME) {
                InetAddress[] resolved = resolver.resolve(host);
                if (resolved.length == 0) {
                    throw new SsrfRefusedException("host '" + host + "' does not resolve");
                }
                return resolved;
            }
            // Literal: turned into bytes by our strict parser, so no resolver reinterprets the spelling.
            return new InetAddress[] {InetAddress.getByAddress(host, LiteralBytes.parse(host))};
        } catch (UnknownHostException e) {
            throw new SsrfRefusedException("host '" + host + "' does not resolve");
        } catch (IllegalArgumentException e) {
            throw new SsrfRefusedException("host '" + host + "' is not a valid IP literal");
        }
    }

    private boolean allowed(String host, int port) {
        return allowList.stream().anyMatch(entry -> entry.matches(host, port));
    }

    private static URI parse(String url) throws SsrfRefusedException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new SsrfRefusedException("not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new SsrfRefusedException("scheme must be http or https: " + url);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new SsrfRefusedException("URL has no host: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw new SsrfRefusedException("URL may not carry credentials: " + url);
        }
        return uri;
    }

    private static AllowEntry parseEntry(String entry) {
        String trimmed = entry.strip().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("[")) {
            int close = trimmed.indexOf(']');
            String host = trimmed.substring(1, close);
            String rest = trimmed.substring(close + 1);
            return new AllowEntry(host, rest.startsWith(":") ? Integer.valueOf(rest.substring(1)) : null);
        }
        int colon = trimmed.indexOf(':');
        if (colon >= 0 && trimmed.indexOf(':', colon + 1) < 0) {
            return new AllowEntry(trimmed.substring(0, colon), Integer.valueOf(trimmed.substring(colon + 1)));
        }
        return new AllowEntry(trimmed, null);
    }
}
