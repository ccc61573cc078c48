package io.sipai.gateway.db;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How api-gateway reaches PostgreSQL.
 *
 * @param url              {@code DB_URL}: {@code jdbc:postgresql://host:port/database} (required)
 * @param user             {@code DB_USER} (default {@code sipai})
 * @param password         {@code DB_PASSWORD} (default empty)
 * @param poolSize         {@code DB_POOL_SIZE}: maximum connections (default 10)
 * @param socketTimeoutSec {@code DB_SOCKET_TIMEOUT_SEC}: longest wait for the database's answer on an open
 *                         connection before the call fails (default 30); without it a connection the network
 *                         silently dropped blocks its thread (a request, the projector) forever
 * @param connectTimeoutSec {@code DB_CONNECT_TIMEOUT_SEC}: longest wait for a connection, new or from the pool
 *                         (default 5); while the database is down a request answers 503 after this
 */
@ConfigurationProperties("db")
public record DbSettings(String url, String user, String password, Integer poolSize, Integer socketTimeoutSec,
                         Integer connectTimeoutSec) {

    public DbSettings {
        if (url == null || url.isBlank()) {
            throw new InvalidSettingException("DB_URL", (url == null ? "is not set" : "is empty")
                    + "; expected jdbc:postgresql://host:port/database");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new InvalidSettingException("DB_URL", "must start with jdbc:postgresql://");
        }
        user = user == null || user.isBlank() ? "sipai" : user;
        password = password == null ? "" : password;
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

    @Override
    public String toString() {
        return "DbSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + ", socketTimeoutSec="
                + socketTimeoutSec + ", connectTimeoutSec=" + connectTimeoutSec + "]";
    }
}
