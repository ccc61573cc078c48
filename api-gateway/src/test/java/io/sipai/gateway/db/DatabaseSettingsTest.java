package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The database timeouts: every pooled connection carries {@code DB_SOCKET_TIMEOUT_SEC} as its socket timeout (a
 * database that stops answering fails the call instead of holding the thread), and bad values stop the service
 * naming the variable.
 */
class DatabaseSettingsTest extends GatewayTest {

    @Autowired
    DataSource dataSource;

    @Test
    void givenTheDefaultSettings_whenAConnectionIsTaken_thenItsSocketTimeoutIs30Seconds() throws SQLException {
        // when
        try (Connection connection = dataSource.getConnection()) {
            // then
            assertThat(connection.getNetworkTimeout()).isEqualTo(30_000);
        }
    }

    @Test
    void givenATimeoutOutOfRange_whenTheSettingsAreBound_thenTheVariableIsNamed() {
        String url = "jdbc:postgresql://db.example.com:5432/sipai";
        assertThatThrownBy(() -> new DbSettings(url, null, "", null, null, null, null, 0, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("DB_SOCKET_TIMEOUT_SEC");
        assertThatThrownBy(() -> new DbSettings(url, null, "", null, null, null, null, null, 301))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("DB_CONNECT_TIMEOUT_SEC");
        assertThat(new DbSettings(url, null, "", null, null, null, null, 5, 2)).satisfies(settings -> {
            assertThat(settings.socketTimeoutSec()).isEqualTo(5);
            assertThat(settings.connectTimeoutSec()).isEqualTo(2);
        });
    }
}
