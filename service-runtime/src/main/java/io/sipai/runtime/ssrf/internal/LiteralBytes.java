package io.sipai.runtime.ssrf.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP literal handling. Browsers and libc accept IPv4 in decimal ({@code 2130706433}), octal
 * ({@code 0177.0.0.1}), hex ({@code 0x7f.1}) and shortened ({@code 127.1}) spellings; a guard that reads them
 * differently from the connecting code can be bypassed, so anything that looks numeric but is not a canonical
 * dotted quad is refused rather than interpreted.
 */
public final class LiteralBytes {

    private static final Pattern NUMERIC_LABEL = Pattern.compile("0[xX][0-9a-fA-F]*|[0-9]+");
    private static final Pattern CANONICAL_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    private LiteralBytes() {
    }

    /** What kind of host a URL names. */
    public enum HostKind { NAME, IPV4, IPV6, AMBIGUOUS_NUMERIC }

    /** Classifies a URL host (IPv6 without brackets). */
    public static HostKind kind(String host) {
        if (host.contains(":")) {
            return HostKind.IPV6;
        }
        String[] labels = host.split("\\.", -1);
        boolean numeric = true;
        for (String label : labels) {
            numeric &= NUMERIC_LABEL.matcher(label).matches();
        }
        // A DNS name's last label is never all digits, so such a host is an IP spelling of some kind.
        boolean lastNumeric = NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches();
        if (!numeric && !lastNumeric) {
            return HostKind.NAME;
        }
        return canonicalIpv4(host).isPresent() ? HostKind.IPV4 : HostKind.AMBIGUOUS_NUMERIC;
    }

    /** The 4 bytes of a canonical dotted quad (no leading zeros, each octet 0-255). */
    public static Optional<byte[]> canonicalIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!CANONICAL_OCTET.matcher(parts[i]).matches() || Integer.parseInt(parts[i]) > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return Optional.of(bytes);
    }

    /** Bytes of a canonical IPv4 literal or an IPv6 literal (hex groups, optional {@code ::}). */
    public static byte[] parse(String literal) {
        if (!literal.contains(":")) {
            return canonicalIpv4(literal).orElseThrow(() -> new IllegalArgumentException(literal));
        }
        String[] halves = literal.split("::", -1);
        if (halves.length > 2) {
            throw new IllegalArgumentException(literal);
        }
        List<Integer> head = groups(halves[0]);
        List<Integer> tail = halves.length == 2 ? groups(halves[1]) : List.of();
        int missing = 8 - head.size() - tail.size();
        if (missing < 0 || (halves.length == 1 && missing != 0)) {
            throw new IllegalArgumentException(literal);
        }
        List<Integer> all = new ArrayList<>(head);
        for (int i = 0; i < missing; i++) {
            all.add(0);
        }
        all.addAll(tail);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (all.get(i) >> 8);
            bytes[2 * i + 1] = (byte) (all.get(i) & 0xFF);
        }
        return bytes;
    }

    private static List<Integer> groups(String part) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        for (String group : part.split(":", -1)) {
            if (group.isEmpty() || group.length() > 4) {
                throw new IllegalArgumentException(part);
            }
            groups.add(Integer.parseInt(group, 16));
        }
        return groups;
    }
}
