package io.sipai.schemas.telephony;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code transfer_call} tool sends the caller: the {@code url} of the agent's TRANSFER_CALL tool, either
 * {@code tel:+<E.164>} or {@code sip:user@host[:port]}. A contract between api-gateway (which refuses any other
 * spelling when an agent is written) and realtime-edge (which hands the target to Twilio or jambonz). The target is
 * configuration, never chosen by the LLM, so a prompt cannot make the platform dial premium numbers.
 *
 * @param kind PHONE or SIP
 * @param uri  the target as configured, e.g. {@code tel:+15551234567} or {@code sip:support@pbx.example.com}
 */
public record TransferTarget(Kind kind, String uri) {

    /** What a transfer dials. */
    public enum Kind { PHONE, SIP }

    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "tel:+<E.164 number> (e.g. tel:+15551234567) or sip:user@host[:port]";

    private static final Pattern TEL = Pattern.compile("tel:(\\+[1-9][0-9]{6,14})");
    private static final Pattern SIP = Pattern.compile(
            "sips?:[A-Za-z0-9._~+*#%!-]{1,64}@[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?"
                    + "(;transport=(udp|tcp|tls))?");

    public TransferTarget {
        if (kind == null || uri == null) {
            throw new IllegalArgumentException("kind and uri are required");
        }
    }

    /** The target of a configured URL, or empty when it is neither a tel: E.164 number nor a sip: URI. */
    public static Optional<TransferTarget> parse(String url) {
        if (url == null) {
            return Optional.empty();
        }
        String value = url.strip();
        if (TEL.matcher(value).matches()) {
            return Optional.of(new TransferTarget(Kind.PHONE, value));
        }
        if (SIP.matcher(value).matches()) {
            return Optional.of(new TransferTarget(Kind.SIP, value));
        }
        return Optional.empty();
    }

    /** The E.164 number of a PHONE target ({@code +15551234567}); the URI itself for SIP. */
    public String address() {
        Matcher tel = TEL.matcher(uri);
        return kind == Kind.PHONE && tel.matches() ? tel.group(1) : uri;
    }
}
