package io.sipai.gateway.db.internal;

/** {@code DB_PASSWORD}: the password given in the environment, the same for the life of the process. */
public final class FixedPassword implements CredentialsSource {

    private final DbCredentials credentials;

    public FixedPassword(String user, String password) {
        this.credentials = new DbCredentials(user, password);
    }

    @Override
    public DbCredentials read() {
        return credentials;
    }

    @Override
    public boolean rereadable() {
        return false;
    }

    @Override
    public String describe() {
        return "DB_PASSWORD";
    }
}
