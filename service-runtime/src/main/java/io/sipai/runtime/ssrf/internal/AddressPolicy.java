package io.sipai.runtime.ssrf.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may never reach: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, reserved and documentation ranges, multicast, broadcast, IPv6 unique-local,
 * site-local and link-local, and IPv6 forms that embed one of these IPv4 addresses (mapped, compatible,
 * NAT64, 6to4).
 */
public final class AddressPolicy {

    private record Range(byte[] prefix, int bits, String name) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (prefix[full] & mask);
        }
    }

    private static final List<Range> BLOCKED = List.of(
            range("0.0.0.0", 8, "this-network"), range("10.0.0.0", 8, "private"),
            range("100.64.0.0", 10, "CGNAT"), range("127.0.0.0", 8, "loopback"),
            range("169.254.0.0", 16, "link-local"), range("172.16.0.0", 12, "private"),
            range("192.0.0.0", 24, "IETF protocol assignments"), range("192.0.2.0", 24, "documentation"),
            range("192.88.99.0", 24, "6to4 relay"), range("192.168.0.0", 16, "private"),
            range("198.18.0.0", 15, "benchmarking"), range("198.51.100.0", 24, "documentation"),
            range("203.0.113.0", 24, "documentation"), range("224.0.0.0", 4, "multicast"),
            range("240.0.0.0", 4, "reserved"),
            range("::", 128, "unspecified"), range("::1", 128, "loopback"),
            range("100::", 64, "discard-only"), range("2001::", 23, "IETF protocol assignments"),
            range("2001:db8::", 32, "documentation"), range("fc00::", 7, "unique-local"),
            range("fe80::", 10, "link-local"), range("fec0::", 10, "site-local"),
            range("ff00::", 8, "multicast"));

    private static final Range MAPPED = range("::ffff:0:0", 96, "IPv4-mapped");
    private static final Range COMPATIBLE = range("::", 96, "IPv4-compatible");
    private static final Range NAT64 = range("64:ff9b::", 96, "NAT64");
    private static final Range SIX_TO_FOUR = range("2002::", 16, "6to4");

    private AddressPolicy() {
    }

    /** Why {@code address} is forbidden, or empty when a webhook may connect to it. */
    public static Optional<String> forbidden(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : BLOCKED) {
            if (range.contains(bytes)) {
                return Optional.of(range.name() + " address " + address.getHostAddress());
            }
        }
        if (address instanceof Inet6Address) {
            Optional<byte[]> embedded = embeddedIpv4(bytes);
            if (embedded.isPresent()) {
                return forbidden(ipv4(embedded.get())).map(reason -> "IPv6 form of " + reason);
            }
        }
        return Optional.empty();
    }

    private static Optional<byte[]> embeddedIpv4(byte[] v6) {
        if (MAPPED.contains(v6) || COMPATIBLE.contains(v6) || NAT64.contains(v6)) {
            return Optional.of(new byte[] {v6[12], v6[13], v6[14], v6[15]});
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Optional.of(new byte[] {v6[2], v6[3], v6[4], v6[5]});
        }
        return Optional.empty();
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Range range(String literal, int bits, String name) {
        try {
            // Literals only: getByAddress keeps IPv4-mapped IPv6 prefixes as 16 bytes where getByName would not.
            return new Range(LiteralBytes.parse(literal), bits, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad range " + literal, e);
        }
    }
}
