package io.sipai.runtime.ssrf;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.sipai.runtime.ssrf.internal.AddressPolicy;
import io.sipai.runtime.ssrf.internal.LiteralBytes;
import io.sipai.runtime.ssrf.internal.LiteralBytes.HostKind;

/**
 * Keeps requests to customer-supplied URLs (webhooks, HTTP tools) away from internal networks. Plain Java, no
 * Spring: build it with {@code new SsrfGuard(allowList)} or from {@link SsrfSettings}. {@link #check(String)} is
 * for the time a URL is accepted (api-gateway calls it before it stores a subscription); {@link #resolve(String)}
 * is for connect time: it resolves the host once, checks every address, and returns the one to connect to, so a
 * DNS answer that changes between check and connect (rebinding) cannot reach a forbidden address. Entries of the
 * allow-list ({@code WEBHOOK_ALLOWED_HOSTS}: {@code host}, {@code host:port} or {@code [v6]:port}) bypass the
 * address check, for development and tests. Thread-safe.
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

    /**
     * Accept-time check: the URL is well formed and its host resolves only to allowed addresses. An allow-listed
     * host is not even resolved, since nothing connects to it yet.
     */
    public void check(String url) throws SsrfRefusedException {
        URI uri = parse(url);
        if (!allowed(host(uri), port(uri))) {
            resolve(url);
        }
    }

    /** Connect-time check: the address to connect to for {@code url}. */
    public CheckedTarget resolve(String url) throws SsrfRefusedException {
        URI uri = parse(url);
        boolean tls = tls(uri);
        String host = host(uri);
        int port = port(uri);
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

    private static boolean tls(URI uri) {
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() == -1 ? (tls(uri) ? 443 : 80) : uri.getPort();
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
