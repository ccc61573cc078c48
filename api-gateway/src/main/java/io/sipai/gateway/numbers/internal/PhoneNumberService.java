package io.sipai.gateway.numbers.internal;

import static io.sipai.gateway.db.jooq.Tables.AGENTS;
import static io.sipai.gateway.db.jooq.Tables.PHONE_NUMBERS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.db.jooq.PhoneNumbersRecord;
import io.sipai.gateway.numbers.PhoneNumberDirectory;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.web.Paging;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;

/**
 * The phone-number directory's entries: one row per E.164 number, owned by one tenant and routed to one of its
 * agents. A number is globally unique; claiming one that any tenant holds answers 409 {@code number-taken} without
 * saying which tenant holds it. The directory is read only by the gateway's own telephony webhooks, so nothing is
 * published.
 */
@Service
public class PhoneNumberService {

    private final DSLContext db;
    private final Clock clock;

    public PhoneNumberService(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Body of POST /v1/phone-numbers. */
    public record PhoneNumberSpec(String number, String agentId) {
    }

    /** Body of PUT /v1/phone-numbers/{number}: the agent the number routes to. */
    public record PhoneNumberUpdate(String agentId) {
    }

    public record PhoneNumberView(String number, String tenantId, String agentId, long version,
                                  OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** A page of numbers in number order; {@code nextCursor} is absent on the last page. */
    public record Page(List<PhoneNumberView> data, String nextCursor) {
    }

    public PhoneNumberView create(String tenantId, PhoneNumberSpec spec) {
        if (spec.number() == null || spec.number().isBlank()) {
            throw ApiException.invalid("number", "is required");
        }
        if (!PhoneNumberDirectory.E164.matcher(spec.number()).matches()) {
            throw ApiException.invalid("number", "must be E.164: + then 2-15 digits, the first not 0, "
                    + "e.g. +14155550100");
        }
        return db.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            checkAgent(tx, tenantId, spec.agentId());
            OffsetDateTime now = now();
            int inserted = tx.insertInto(PHONE_NUMBERS).set(PHONE_NUMBERS.NUMBER, spec.number())
                    .set(PHONE_NUMBERS.TENANT_ID, tenantId).set(PHONE_NUMBERS.AGENT_ID, spec.agentId())
                    .set(PHONE_NUMBERS.VERSION, 1L).set(PHONE_NUMBERS.CREATED_AT, now)
                    .set(PHONE_NUMBERS.UPDATED_AT, now).onConflictDoNothing().execute();
            if (inserted == 0) {
                throw new ApiException(ProblemType.NUMBER_TAKEN, "number " + spec.number()
                        + " is already in the phone-number directory", Map.of("field", "number"));
            }
            return view(locked(tx, tenantId, spec.number()));
        });
    }

    public PhoneNumberView update(String tenantId, String number, PhoneNumberUpdate update) {
        return db.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            PhoneNumbersRecord row = locked(tx, tenantId, number);
            checkAgent(tx, tenantId, update.agentId());
            row.setAgentId(update.agentId());
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now());
            row.store();
            return view(row);
        });
    }

    public void delete(String tenantId, String number) {
        int deleted = db.deleteFrom(PHONE_NUMBERS)
                .where(PHONE_NUMBERS.NUMBER.eq(number), PHONE_NUMBERS.TENANT_ID.eq(tenantId)).execute();
        if (deleted == 0) {
            throw ApiException.notFound("phone number", number);
        }
    }

    public PhoneNumberView get(String tenantId, String number) {
        return db.selectFrom(PHONE_NUMBERS)
                .where(PHONE_NUMBERS.NUMBER.eq(number), PHONE_NUMBERS.TENANT_ID.eq(tenantId)).fetchOptional()
                .map(PhoneNumberService::view).orElseThrow(() -> ApiException.notFound("phone number", number));
    }

    /** The tenant's numbers after {@code cursor} (a nextCursor this returned), at most {@code limit}. */
    public Page list(String tenantId, String cursor, int limit) {
        List<Condition> where = new ArrayList<>(List.of(PHONE_NUMBERS.TENANT_ID.eq(tenantId)));
        if (cursor != null) {
            where.add(PHONE_NUMBERS.NUMBER.gt(decodeCursor(cursor)));
        }
        List<PhoneNumberView> rows = db.selectFrom(PHONE_NUMBERS).where(where).orderBy(PHONE_NUMBERS.NUMBER)
                .limit(limit + 1).fetch(PhoneNumberService::view);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        return new Page(rows.subList(0, limit), Paging.encodeCursor(rows.get(limit - 1).number()));
    }

    private static PhoneNumbersRecord locked(DSLContext tx, String tenantId, String number) {
        return tx.selectFrom(PHONE_NUMBERS)
                .where(PHONE_NUMBERS.NUMBER.eq(number), PHONE_NUMBERS.TENANT_ID.eq(tenantId)).forUpdate()
                .fetchOptional().orElseThrow(() -> ApiException.notFound("phone number", number));
    }

    private static void checkAgent(DSLContext tx, String tenantId, String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw ApiException.invalid("agentId", "is required");
        }
        if (!tx.fetchExists(AGENTS, AGENTS.AGENT_ID.eq(agentId), AGENTS.TENANT_ID.eq(tenantId))) {
            throw ApiException.invalid("agentId", "no such agent");
        }
    }

    /** A list cursor's position: the last number of the previous page. */
    private static String decodeCursor(String cursor) {
        String number = Paging.decodeCursor(cursor);
        if (!PhoneNumberDirectory.E164.matcher(number).matches()) {
            throw Paging.badCursor();
        }
        return number;
    }

    private static PhoneNumberView view(PhoneNumbersRecord row) {
        return new PhoneNumberView(row.getNumber(), row.getTenantId(), row.getAgentId(), row.getVersion(),
                row.getCreatedAt(), row.getUpdatedAt());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
