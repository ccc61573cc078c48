package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sipai.gateway.GatewayApplication;
import io.sipai.runtime.InvalidSettingException;
import io.sipai.runtime.ServiceMain;
import org.junit.jupiter.api.Test;

/**
 * Where the database password comes from: exactly one of {@code DB_PASSWORD}, {@code DB_PASSWORD_FILE} and
 * {@code DB_SECRET_ARN}, checked at startup with one line that names the variables.
 */
class DatabasePasswordSettingsTest {

    private static final String URL = "jdbc:postgresql://db.example.com:5432/sipai";
    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1a2b-Xy12Zz";

    private static DbSettings settings(String password, String file, String arn, String endpoint) {
        return new DbSettings(URL, null, password, file, arn, endpoint, null, null, null);
    }

    @Test
    void givenNoPasswordSource_whenTheSettingsAreBound_thenTheyFailNamingAllThree() {
        assertThatThrownBy(() -> settings(null, null, null, null)).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("DB_PASSWORD: ").hasMessageContaining("DB_PASSWORD_FILE")
                .hasMessageContaining("DB_SECRET_ARN").hasMessageContaining("exactly one");
    }

    @Test
    void givenTwoPasswordSources_whenTheSettingsAreBound_thenTheyFailNamingBoth() {
        assertThatThrownBy(() -> settings("pw", "/run/secrets/db", null, null))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("DB_PASSWORD_FILE: is set together with DB_PASSWORD; set exactly one of DB_PASSWORD, "
                        + "DB_PASSWORD_FILE or DB_SECRET_ARN");
        assertThatThrownBy(() -> settings(null, "/run/secrets/db", ARN, null))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("DB_SECRET_ARN: is set together with DB_PASSWORD_FILE");
    }

    @Test
    void givenAnEmptyPasswordOrABlankFile_whenTheSettingsAreBound_thenTheEmptyPasswordIsTheOneSource() {
        // An empty DB_PASSWORD is a password (a server that trusts the gateway); an empty file setting is none.
        DbSettings settings = settings("", " ", "", null);
        assertThat(settings.password()).isEmpty();
        assertThat(settings.passwordFile()).isNull();
        assertThat(settings.secretArn()).isNull();
    }

    @Test
    void givenASecretArn_whenTheSettingsAreBound_thenTheSecretIsReadInTheArnsRegion() {
        assertThat(settings(null, null, ARN, null).secretRegion()).isEqualTo("eu-west-1");
        assertThat(settings(null, null, "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf",
                "https://vpce-1.secretsmanager.us-gov-west-1.vpce.amazonaws.com").secretRegion())
                .isEqualTo("us-gov-west-1");
    }

    @Test
    void givenABadSecretArnOrEndpoint_whenTheSettingsAreBound_thenTheyFailNamingTheVariable() {
        assertThatThrownBy(() -> settings(null, null, "sipai/prod/db", null))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("DB_SECRET_ARN: must be");
        assertThatThrownBy(() -> settings(null, null, ARN, "ftp://secrets.local"))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("DB_SECRET_ENDPOINT: must be");
        assertThatThrownBy(() -> settings("pw", null, null, "https://secrets.local"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("DB_SECRET_ENDPOINT: is set without DB_SECRET_ARN");
    }

    @Test
    void givenAPassword_whenTheSettingsArePrinted_thenThePasswordIsNotShown() {
        assertThat(settings("s3cret-pw", null, null, null).toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void givenTwoPasswordSources_whenTheGatewayStarts_thenItStopsWithOneLineNamingThem() {
        // given
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int status;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // when
            status = ServiceMain.run("api-gateway", GatewayApplication.class, "--server.port=0",
                    "--kafka.bootstrap-servers=127.0.0.1:9", "--db.url=" + URL, "--db.password=pw",
                    "--db.secret-arn=" + ARN);
        } finally {
            System.setErr(original);
        }
        // then
        // Logback's own status lines ("... |-WARN in Logger[...]") come from other contexts of the test JVM that
        // log while this start resets logging: not the gateway's output.
        List<String> err = captured.toString(StandardCharsets.UTF_8).strip().lines()
                .filter(line -> !line.contains(" |-")).toList();
        assertThat(status).isEqualTo(ServiceMain.EXIT_REPORTED_FAILURE);
        assertThat(err).singleElement().asString().startsWith("api-gateway: cannot start: invalid setting "
                + "DB_SECRET_ARN: is set together with DB_PASSWORD; set exactly one of DB_PASSWORD, DB_PASSWORD_FILE "
                + "or DB_SECRET_ARN");
    }
}
