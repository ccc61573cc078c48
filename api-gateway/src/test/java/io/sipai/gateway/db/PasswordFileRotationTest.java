package io.sipai.gateway.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rotation with {@code DB_PASSWORD_FILE}: the file is replaced the way a Kubernetes secret volume replaces it
 * (a new file moved into place), with a trailing line break as {@code echo} writes it.
 */
class PasswordFileRotationTest extends PasswordRotationScenario {

    private static PasswordLoginRole role;
    private static Path file;

    @DynamicPropertySource
    static void passwordFile(DynamicPropertyRegistry registry) throws IOException {
        String password = newPassword();
        role = PasswordLoginRole.create("gateway_file_rotation", password);
        file = Files.createTempDirectory("db-password").resolve("password");
        write(password);
        registry.add("db.url", role::jdbcUrl);
        registry.add("db.user", role::name);
        registry.add("db.password-file", file::toString);
    }

    private static void write(String password) {
        try {
            Path next = Files.writeString(file.resolveSibling("password.next"), password + "\n",
                    StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    PasswordLoginRole role() {
        return role;
    }

    @Override
    void store(String password) {
        write(password);
    }

    @Override
    String storeName() {
        return "DB_PASSWORD_FILE " + file;
    }

    @Override
    String source() {
        return "file";
    }

    @Override
    int storeReads() {
        return -1;
    }
}
