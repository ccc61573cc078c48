package io.sipai.gateway.db.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code DB_PASSWORD_FILE}: a file that holds the password and nothing else. Kubernetes secret volumes (not
 * {@code subPath} mounts) and Docker secrets replace the file when the secret changes, so each read sees the
 * current password. Trailing line breaks are not part of it ({@code echo secret > file} writes one).
 */
public final class PasswordFile implements CredentialsSource {

    private final String user;
    private final Path file;

    public PasswordFile(String user, Path file) {
        this.user = user;
        this.file = file;
    }

    @Override
    public DbCredentials read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // NoSuchFileException and AccessDeniedException say only the path: name the failure too.
            throw new IOException("cannot read " + describe() + ": " + e.getClass().getSimpleName() + " "
                    + e.getMessage(), e);
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return new DbCredentials(user, text.substring(0, end));
    }

    @Override
    public boolean rereadable() {
        return true;
    }

    @Override
    public String describe() {
        return "DB_PASSWORD_FILE " + file;
    }
}
