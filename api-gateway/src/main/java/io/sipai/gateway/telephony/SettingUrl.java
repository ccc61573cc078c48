package io.sipai.gateway.telephony;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import io.sipai.runtime.InvalidSettingException;

/**
 * Checks a URL setting at startup: absolute, of an expected scheme, naming a host java.net.URI can read (it
 * parses {@code under_score} or {@code 127.1} hosts as registry authorities with a null host, which only fail at
 * the first call), with a valid port. A bad value stops the service with one line naming the variable.
 */
public final class SettingUrl {

    private SettingUrl() {
    }

    /** The URL, stripped and without trailing slashes, or InvalidSettingException naming {@code variable}. */
    public static String check(String variable, String value, Set<String> schemes) {
        String expected = "must be an absolute " + String.join(" or ", schemes.stream().sorted().toList())
                + " URL with a host";
        String url = value.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(url);
            if (uri.isOpaque() || uri.getScheme() == null || !schemes.contains(uri.getScheme())
                    || uri.getHost() == null || uri.getPort() == 0 || uri.getPort() > 65_535) {
                throw new InvalidSettingException(variable, expected);
            }
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(variable, expected + " (" + e.getReason() + ")");
        }
        return url;
    }
}
