package io.sipai.gateway.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How api-gateway reaches PostgreSQL. The password comes from exactly one of three places: {@code DB_PASSWORD}
 * (read once at start), {@code DB_PASSWORD_FILE} or {@code DB_SECRET_ARN}; the last two are read again when
 * PostgreSQL refuses a new connection's login, so a rotated password is picked up without a restart.
 *
 * @param url              {@code DB_URL}: {@code jdbc:postgresql://host:port/database} (required)
 * @param user             {@code DB_USER} (default {@code sipai}); a secret that names a {@code username} wins
 * @param password         {@code DB_PASSWORD}: the password itself, fixed for the life of the process (may be
 *                         empty for a server that trusts the gateway's address)
 * @param passwordFile     {@code DB_PASSWORD_FILE}: a file holding the password (trailing line breaks ignored),
 *                         re-read when a login is refused: Kubernetes secret volumes and Docker secrets update
 *                         it in place
 * @param secretArn        {@code DB_SECRET_ARN}: an AWS Secrets Manager secret holding JSON with {@code password}
 *                         (and {@code username}), such as the one RDS manages and rotates for its master user;
 *                         read with the task's AWS credentials in the ARN's region, re-read when a login is refused
 * @param secretEndpoint   {@code DB_SECRET_ENDPOINT}: another Secrets Manager endpoint ({@code https://...}), for
 *                         a VPC endpoint without private DNS or for tests (default: the region's public one)
 * @param poolSize         {@code DB_POOL_SIZE}: maximum connections (default 10)
 * @param socketTimeoutSec {@code DB_SOCKET_TIMEOUT_SEC}: longest wait for the database's answer on an open
 *                         connection before the call fails (default 30); without it a connection the network
 *                         silently dropped blocks its thread (a request, the projector) forever
 * @param connectTimeoutSec {@code DB_CONNECT_TIMEOUT_SEC}: longest wait for a connection, new or from the pool
 *                         (default 5); while the database is down a request answers 503 after this
 */
@ConfigurationProperties("db")
public record DbSettings(String url, String user, String password, String passwordFile, String secretArn,
                         String secretEndpoint, Integer poolSize, Integer socketTimeoutSec,
                         Integer connectTimeoutSec) {

    private static final Pattern SECRET_ARN = Pattern.compile(
            "arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\\d):\\d{12}:secret:\\S+");
    private static final String SOURCES = "DB_PASSWORD, DB_PASSWORD_FILE or DB_SECRET_ARN";

    public DbSettings {
        if (url == null || url.isBlank()) {
            throw new InvalidSettingException("DB_URL", (url == null ? "is not set" : "is empty")
                    + "; expected jdbc:postgresql://host:port/database");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new InvalidSettingException("DB_URL", "must start with jdbc:postgresql://");
        }
        user = user == null || user.isBlank() ? "sipai" : user;
        passwordFile = blankToNull(passwordFile);
        secretArn = blankToNull(secretArn);
        secretEndpoint = blankToNull(secretEndpoint);
        checkOnePasswordSource(password, passwordFile, secretArn);
        checkSecret(secretArn, secretEndpoint);
        poolSize = poolSize == null ? 10 : poolSize;
        if (poolSize < 1 || poolSize > 200) {
            throw new InvalidSettingException("DB_POOL_SIZE", "must be between 1 and 200, was " + poolSize);
        }
        socketTimeoutSec = socketTimeoutSec == null ? 30 : socketTimeoutSec;
        if (socketTimeoutSec < 1 || socketTimeoutSec > 3_600) {
            throw new InvalidSettingException("DB_SOCKET_TIMEOUT_SEC", "must be between 1 and 3600, was "
                    + socketTimeoutSec);
        }
        connectTimeoutSec = connectTimeoutSec == null ? 5 : connectTimeoutSec;
        if (connectTimeoutSec < 1 || connectTimeoutSec > 300) {
            throw new InvalidSettingException("DB_CONNECT_TIMEOUT_SEC", "must be between 1 and 300, was "
                    + connectTimeoutSec);
        }
    }

    /** The region of {@link #secretArn} (a secret is read in its own region), or null without one. */
    public String secretRegion() {
        if (secretArn == null) {
            return null;
        }
        Matcher matcher = SECRET_ARN.matcher(secretArn);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static void checkOnePasswordSource(String password, String passwordFile, String secretArn) {
        List<String> set = new ArrayList<>();
        if (password != null) {
            set.add("DB_PASSWORD");
        }
        if (passwordFile != null) {
            set.add("DB_PASSWORD_FILE");
        }
        if (secretArn != null) {
            set.add("DB_SECRET_ARN");
        }
        if (set.isEmpty()) {
            throw new InvalidSettingException("DB_PASSWORD", "is not set, nor DB_PASSWORD_FILE, nor DB_SECRET_ARN; "
                    + "set exactly one of " + SOURCES + " (DB_PASSWORD may be empty)");
        }
        if (set.size() > 1) {
            throw new InvalidSettingException(set.get(1), "is set together with " + set.getFirst()
                    + "; set exactly one of " + SOURCES);
        }
    }

    private static void checkSecret(String secretArn, String secretEndpoint) {
        if (secretArn != null && !SECRET_ARN.matcher(secretArn).matches()) {
            throw new InvalidSettingException("DB_SECRET_ARN", "must be a Secrets Manager secret ARN, "
                    + "arn:aws:secretsmanager:<region>:<account>:secret:<name>");
        }
        if (secretEndpoint == null) {
            return;
        }
        if (secretArn == null) {
            throw new InvalidSettingException("DB_SECRET_ENDPOINT", "is set without DB_SECRET_ARN");
        }
        try {
            URI endpoint = new URI(secretEndpoint);
            if (!("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                throw new InvalidSettingException("DB_SECRET_ENDPOINT", "must be an http(s)://host[:port] URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("DB_SECRET_ENDPOINT", "must be an http(s)://host[:port] URL");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "DbSettings[url=" + url + ", user=" + user + ", passwordFile=" + passwordFile + ", secretArn="
                + secretArn + ", secretEndpoint=" + secretEndpoint + ", poolSize=" + poolSize
                + ", socketTimeoutSec=" + socketTimeoutSec + ", connectTimeoutSec=" + connectTimeoutSec + "]";
    }
}
