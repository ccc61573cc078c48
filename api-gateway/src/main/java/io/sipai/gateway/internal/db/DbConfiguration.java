package io.sipai.gateway.internal.db;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sipai.runtime.ReadinessCheck;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The PostgreSQL connection pool built from {@link DbSettings}, and the readiness check that uses it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DbSettings.class)
public class DbConfiguration {

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DbSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("sipai-db");
        config.setConnectionTimeout(5_000);
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
                } catch (java.sql.SQLException e) {
                    return false;
                }
            }
        };
    }
}
