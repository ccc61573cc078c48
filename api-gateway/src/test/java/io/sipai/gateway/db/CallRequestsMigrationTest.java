package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import io.sipai.gateway.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * V3 moves what the API wrote into {@code calls} to {@code call_requests}: a row never projected (version 0) moves
 * whole, a projected row keeps its projection and gives its provider and provider call id to its request.
 */
class CallRequestsMigrationTest {

    @Test
    void givenCallsTheApiWrote_whenMigratedToV3_thenTheirRequestsMoveAndProjectedRowsStay() throws SQLException {
        // given: a database at V2 with an unprojected call the API rejected and a projected provider call
        DataSource database = newDatabase();
        Flyway.configure().dataSource(database).target("2").load().migrate();
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute(insert("rejected-1", "REJECTED", 0, "twilio", null));
            sql.execute(insert("projected-1", "IN_PROGRESS", 5, "jambonz", "sid-9"));
        }
        // when
        Flyway.configure().dataSource(database).load().migrate();
        // then
        DSLContext db = DSL.using(database, SQLDialect.POSTGRES);
        assertThat(db.fetch("select call_id, status from calls").map(r -> r.get(0) + "=" + r.get(1)))
                .containsExactly("projected-1=IN_PROGRESS");
        assertThat(db.fetch("select call_id, status, provider, provider_call_sid from call_requests order by call_id")
                .map(CallRequestsMigrationTest::row))
                .containsExactly("projected-1 REQUESTED jambonz sid-9", "rejected-1 REJECTED twilio null");
    }

    private static String row(Record r) {
        return r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3);
    }

    private static String insert(String callId, String status, long version, String provider, String sid) {
        return "insert into calls (call_id, tenant_id, status, direction, transport, provider, provider_call_sid, "
                + "turns, agent_utterances, tool_calls, barge_ins, dtmf_count, entry_count, version, created_at) "
                + "values ('" + callId + "', 'default', '" + status + "', 'OUTBOUND', 'TWILIO', '" + provider + "', "
                + (sid == null ? "null" : "'" + sid + "'") + ", 0, 0, 0, 0, 0, 0, " + version + ", now())";
    }

    private static DataSource newDatabase() throws SQLException {
        String name = "migration_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = TestPostgres.server().getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("create database " + name);
        }
        return TestPostgres.server().getDatabase("postgres", name);
    }
}
