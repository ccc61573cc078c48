package io.sipai.gateway.telephony;

import java.util.regex.Pattern;

/**
 * A provider's call id (Twilio {@code CA...}, jambonz UUIDs) as the gateway accepts it from a provider answer and
 * puts it into the provider's REST URLs: letters, digits, {@code -}, {@code _} and {@code .}, so it is one path
 * segment that needs no encoding and cannot turn into {@code ..} or another path.
 */
public final class ProviderSid {

    private static final Pattern SID = Pattern.compile("(?!\\.+$)[A-Za-z0-9._-]{1,128}");

    private ProviderSid() {
    }

    public static boolean valid(String sid) {
        return sid != null && SID.matcher(sid).matches();
    }
}
