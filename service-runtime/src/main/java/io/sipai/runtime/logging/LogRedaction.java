package io.sipai.runtime.logging;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes credentials from text bound for a log: the values of the query parameters that carry them
 * ({@code api_key}, {@code token}, {@code sig}, {@code signature}, ...) in any URL the text holds, and the values
 * of credential headers ({@code Authorization}, {@code X-API-Key}, {@code X-Twilio-Signature}, ...) written as
 * {@code name: value} or {@code name=value}. Every service's structured log goes through it
 * ({@link RedactingLogCustomizer}), and code that logs a URL or a header may call it directly.
 */
public final class LogRedaction {

    /** What a removed value is replaced with. */
    public static final String MASK = "[REDACTED]";

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "x-twilio-signature", "jambonz-signature", "cookie", "set-cookie", "sec-websocket-protocol");

    // A parameter ends at the next separator, whitespace or quote, so the rest of a URL or message stays readable.
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)([?&;](?:api[_-]?key|access[_-]?token|token|sig|signature|secret|password)=)[^&;#\\s\"'<>]*");
    // A header value is a quoted string (JSON) or runs to the end of its line or to the comma/bracket that closes
    // it in a rendered map.
    private static final Pattern SECRET_HEADER = Pattern.compile(
            "(?i)\\b(proxy-authorization|authorization|x-api-key|x-twilio-signature|jambonz-signature|set-cookie"
                    + "|cookie)(\"?\\s*[:=]\\s*\\[?)(\"[^\"\\r\\n]*\"|[^\"\\r\\n,\\]}]+)");

    private LogRedaction() {
    }

    /** {@code text} with every credential query value and credential header value replaced by {@link #MASK}. */
    public static String text(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String parameters = SECRET_PARAMETER.matcher(text).replaceAll("$1" + MASK);
        return SECRET_HEADER.matcher(parameters).replaceAll("$1$2" + MASK);
    }

    /** The value of header {@code name} as it may be logged: {@link #MASK} for a credential header. */
    public static String header(String name, String value) {
        return name != null && SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? MASK : text(value);
    }

    // Most log lines hold neither '=' nor ':' before a credential name; skip the regular expressions for them.
    private static boolean mayHoldSecret(String text) {
        return text.indexOf('=') >= 0 || text.indexOf(':') >= 0;
    }
}
