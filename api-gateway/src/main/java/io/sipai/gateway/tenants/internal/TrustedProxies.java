package io.sipai.gateway.tenants.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.sipai.runtime.InvalidSettingException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request comes from, as far as it can be believed: the peer's address, unless the peer is one of
 * the configured proxies ({@code API_TRUSTED_PROXIES}); then the right-most {@code X-Forwarded-For} hop that is not
 * a trusted proxy, because each proxy appends the address it saw and everything left of that is what the client
 * claimed. IPv6 clients count by their /64, the block one subscriber usually holds, so cycling through addresses of
 * one block does not evade a limit.
 */
final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            int mask = rest == 0 ? 0 : (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** The proxies of {@code API_TRUSTED_PROXIES}; a bad entry stops startup naming the variable. */
    static TrustedProxies parse(List<String> entries) {
        return new TrustedProxies(entries.stream().map(TrustedProxies::range).toList());
    }

    /** The client address of {@code request}, reduced to what a rate limit counts (IPv6: its /64). */
    String clientOf(HttpServletRequest request) {
        byte[] peer = literal(request.getRemoteAddr()).orElse(null);
        if (peer == null) {
            return request.getRemoteAddr();
        }
        if (!trusted(peer)) {
            return key(peer);
        }
        byte[] client = peer;
        List<String> headers = Collections.list(request.getHeaders("X-Forwarded-For"));
        for (int h = headers.size() - 1; h >= 0 && trusted(client); h--) {
            String[] hops = headers.get(h).split(",");
            for (int i = hops.length - 1; i >= 0 && trusted(client); i--) {
                Optional<byte[]> hop = literal(hops[i].strip());
                if (hop.isEmpty()) {
                    // A hop that is not an address was written by the client: the last believable hop is the client.
                    return key(client);
                }
                client = hop.get();
            }
        }
        return key(client);
    }

    private boolean trusted(byte[] address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }

    private static String key(byte[] address) {
        try {
            if (address.length == 16) {
                return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(address, 8), 16)).getHostAddress()
                        + "/64";
            }
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + address.length + " bytes", e);
        }
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(address).orElseThrow(() -> new InvalidSettingException("API_TRUSTED_PROXIES",
                "'" + entry + "' is not an IP address or CIDR range"));
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new InvalidSettingException("API_TRUSTED_PROXIES", "'" + entry + "' has a bad prefix length");
            }
        }
        return new Range(network, prefix);
    }

    /** The bytes of an IP literal, never a DNS lookup: anything but dotted IPv4 or a colon form is refused. */
    private static Optional<byte[]> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    return Optional.empty();
                }
                bytes[i] = (byte) octet;
            }
            return Optional.of(bytes);
        }
        if (text.indexOf(':') < 0
                || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            // A text with a colon is parsed as an IPv6 literal or refused; it is never looked up.
            return Optional.of(InetAddress.getByName(text).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
