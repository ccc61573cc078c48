package io.sipai.gateway;

import java.time.Duration;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sipai.gateway.db.DbSettings;
import io.sipai.gateway.db.internal.DatabaseReadiness;
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
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbSettings.class)
public class DatabaseConfiguration {

    private static final long READINESS_ANSWER_MS = 1_500;

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("sipai-db");
        config.setConnectionTimeout(settings.connectTimeoutSec() * 1_000L);
        config.addDataSourceProperty("socketTimeout", String.valueOf(settings.socketTimeoutSec()));
        config.addDataSourceProperty("connectTimeout", String.valueOf(settings.connectTimeoutSec()));
        return new HikariDataSource(config);
    }

    @Bean
    ReadinessCheck postgresReadinessCheck(DataSource dataSource) {
        return new DatabaseReadiness(dataSource, Duration.ofMillis(READINESS_ANSWER_MS));
    }
}
