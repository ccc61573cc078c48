package io.sipai.gateway.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

import io.sipai.gateway.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.awaitility.Awaitility;

/**
 * A role of the module's PostgreSQL server that must log in with its password (SCRAM), owning a database of the
 * same name: the embedded server trusts every local login, so without this a password change would go unnoticed.
 * The superuser changes the role's password and cuts its connections, as a rotation and a pool's turnover would.
 */
final class PasswordLoginRole {

    private final String name;
    private final EmbeddedPostgres server = TestPostgres.server();
    private final DataSource admin = server.getPostgresDatabase();

    private PasswordLoginRole(String name) {
        this.name = name;
    }

    /** Creates the role with its first password and its database, and makes the server check its logins. */
    static PasswordLoginRole create(String name, String password) {
        PasswordLoginRole role = new PasswordLoginRole(name);
        role.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
        role.execute("CREATE DATABASE " + name + " OWNER " + name);
        role.requirePassword();
        return role;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + name;
    }

    String name() {
        return name;
    }

    void changePassword(String password) {
        execute("ALTER ROLE " + name + " PASSWORD '" + password + "'");
    }

    /** Terminates every session of the role: the gateway's pool must open new connections. */
    int terminateSessions() {
        return count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + name + "'");
    }

    int sessions() {
        return count("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + name + "'");
    }

    private void requirePassword() {
        try {
            Path hba = Path.of(query("SHOW hba_file"));
            String rules = Files.readString(hba, StandardCharsets.UTF_8);
            // The first matching line decides: this one goes before the server's "trust" lines.
            Files.writeString(hba, "host all " + name + " all scram-sha-256\n" + rules, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        query("SELECT pg_reload_conf()");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !canLogIn("not-the-password"));
    }

    private boolean canLogIn(String password) {
        Properties login = new Properties();
        login.setProperty("user", name);
        login.setProperty("password", password);
        try (Connection ignored = DriverManager.getConnection(jdbcUrl(), login)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void execute(String sql) {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private int count(String sql) {
        return Integer.parseInt(query(sql));
    }

    private String query(String sql) {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
