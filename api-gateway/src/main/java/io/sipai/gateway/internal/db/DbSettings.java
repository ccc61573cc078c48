package io.sipai.gateway.internal.db;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How api-gateway reaches PostgreSQL.
 *
 * @param url      {@code DB_URL}: {@code jdbc:postgresql://host:port/database} (required)
 * @param user     {@code DB_USER} (default {@code sipai})
 * @param password {@code DB_PASSWORD} (default empty)
 * @param poolSize {@code DB_POOL_SIZE}: maximum connections (default 10)
 */
@ConfigurationProperties("db")
public record DbSettings(String url, String user, String password, Integer poolSize) {

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
    }

    @Override
    public String toString() {
        return "DbSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
