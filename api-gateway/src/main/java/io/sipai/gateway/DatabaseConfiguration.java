package io.sipai.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sipai.gateway.db.DbSettings;
import io.sipai.gateway.db.internal.CredentialsCache;
import io.sipai.gateway.db.internal.CredentialsSource;
import io.sipai.gateway.db.internal.DatabaseReadiness;
import io.sipai.gateway.db.internal.FixedPassword;
import io.sipai.gateway.db.internal.PasswordFile;
import io.sipai.gateway.db.internal.RotatingCredentialsDataSource;
import io.sipai.gateway.db.internal.SecretsManagerSecret;
import io.sipai.runtime.InvalidSettingException;
import io.sipai.runtime.ReadinessCheck;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL connection pool built from {@link DbSettings}, and the readiness check that uses it. Every
 * connection carries PostgreSQL's {@code socketTimeout} and {@code connectTimeout}, and the pool waits at most
 * {@code DB_CONNECT_TIMEOUT_SEC} for a connection, so a database that stops answering or is down fails the call
 * within those bounds instead of holding its thread: the projector then retries, and a request answers 503
 * {@code database-unavailable}. The readiness check answers within {@value #READINESS_ANSWER_MS} ms whatever the
 * database does.
 *
 * <p>The pool opens connections through {@link RotatingCredentialsDataSource}, whose login comes from
 * {@code DB_PASSWORD}, {@code DB_PASSWORD_FILE} or {@code DB_SECRET_ARN} and is read again (at most every
 * {@value #MIN_REREAD_MS} ms) when PostgreSQL refuses it: a rotated password needs no restart.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbSettings.class)
public class DatabaseConfiguration {

    private static final long READINESS_ANSWER_MS = 1_500;
    private static final long MIN_REREAD_MS = 2_000;

    @Bean(destroyMethod = "close")
    CredentialsSource databaseCredentialsSource(DbSettings settings) {
        if (settings.passwordFile() != null) {
            return new PasswordFile(settings.user(), Path.of(settings.passwordFile()));
        }
        if (settings.secretArn() != null) {
            URI endpoint = settings.secretEndpoint() == null ? null : URI.create(settings.secretEndpoint());
            return new SecretsManagerSecret(settings.secretArn(), settings.secretRegion(), endpoint, settings.user());
        }
        return new FixedPassword(settings.user(), settings.password());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DbSettings settings, CredentialsSource credentialsSource) {
        CredentialsCache credentials;
        try {
            credentials = new CredentialsCache(credentialsSource, Duration.ofMillis(MIN_REREAD_MS), System::nanoTime);
        } catch (IOException e) {
            String variable = settings.passwordFile() != null ? "DB_PASSWORD_FILE" : "DB_SECRET_ARN";
            throw new InvalidSettingException(variable, "cannot read the database password: " + e.getMessage());
        }
        Properties connection = new Properties();
        connection.setProperty("socketTimeout", String.valueOf(settings.socketTimeoutSec()));
        connection.setProperty("connectTimeout", String.valueOf(settings.connectTimeoutSec()));
        HikariConfig config = new HikariConfig();
        config.setDataSource(new RotatingCredentialsDataSource(settings.url(), connection, credentials));
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("sipai-db");
        config.setConnectionTimeout(settings.connectTimeoutSec() * 1_000L);
        return new HikariDataSource(config);
    }

    @Bean
    ReadinessCheck postgresReadinessCheck(DataSource dataSource) {
        return new DatabaseReadiness(dataSource, Duration.ofMillis(READINESS_ANSWER_MS));
    }
}
