package io.sipai.gateway.telephony.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.sipai.gateway.numbers.PhoneNumberDirectory;

/**
 * Turns the called party a provider reports into the E.164 form the phone-number directory is keyed by. Twilio
 * sends {@code To} in E.164 (or {@code client:<name>}, which is no number); jambonz sends {@code to} as the SIP
 * request's user part, which carriers often give without the {@code +}, and a SIP or tel URI form is accepted too:
 * {@code "Name" <sip:+4930123456@host;user=phone>}, {@code tel:+1-415-555-0100}, {@code 4930123456}.
 */
final class CalledNumber {

    private static final List<String> SCHEMES = List.of("sips:", "sip:", "tel:");
    /** Visual separators a dialled number may carry (RFC 3966). */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()]");

    private CalledNumber() {
    }

    /**
     * The number in E.164, or empty when the party is no international number: a national number (leading 0),
     * a name, or anything else that is not {@code +} (optional) followed by 2-15 digits.
     */
    static Optional<String> e164(String party) {
        if (party == null) {
            return Optional.empty();
        }
        String text = party.strip();
        int open = text.indexOf('<');
        int close = text.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            text = text.substring(open + 1, close).strip();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String scheme : SCHEMES) {
            if (lower.startsWith(scheme)) {
                text = text.substring(scheme.length());
                break;
            }
        }
        text = before(before(before(text, '@'), ';'), '?');
        text = SEPARATORS.matcher(text).replaceAll("");
        String number = text.startsWith("+") ? text : "+" + text;
        return PhoneNumberDirectory.E164.matcher(number).matches() ? Optional.of(number) : Optional.empty();
    }

    private static String before(String text, char stop) {
        int at = text.indexOf(stop);
        return at < 0 ? text : text.substring(0, at);
    }
}
