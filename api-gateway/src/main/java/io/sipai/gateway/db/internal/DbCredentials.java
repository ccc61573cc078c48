package io.sipai.gateway.db.internal;

/**
 * A PostgreSQL login: the user and its password. {@link #toString} never shows the password, so a credentials
 * value may be logged or end up in an exception message.
 */
public record DbCredentials(String user, String password) {

    @Override
    public String toString() {
        return "DbCredentials[user=" + user + ", password=***]";
    }
}
