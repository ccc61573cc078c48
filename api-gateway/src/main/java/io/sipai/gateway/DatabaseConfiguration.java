package io.sipai.gateway;

import java.sql.SQLException;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sipai.gateway.db.DbSettings;
import io.sipai.runtime.ReadinessCheck;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL connection pool built from {@link DbSettings}, and the readiness check that uses it. Every
 * connection carries PostgreSQL's {@code socketTimeout} and {@code connectTimeout}, so a database that stops
 * answering fails the call after {@code DB_SOCKET_TIMEOUT_SEC} instead of holding its thread: the projector then
 * retries, and a request answers 500.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbSettings.class)
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("sipai-db");
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("socketTimeout", String.valueOf(settings.socketTimeoutSec()));
        config.addDataSourceProperty("connectTimeout", String.valueOf(settings.connectTimeoutSec()));
        return new HikariDataSource(config);
    }

    @Bean
    ReadinessCheck postgresReadinessCheck(DataSource dataSource) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "postgresql";
            }

            @Override
            public boolean ready() {
                try (var connection = dataSource.getConnection()) {
                    return connection.isValid(2);
                } catch (SQLException e) {
                    return false;
                }
            }
        };
    }
}
