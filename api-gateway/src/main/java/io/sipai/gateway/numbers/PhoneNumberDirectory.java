package io.sipai.gateway.numbers;

import static io.sipai.gateway.db.jooq.Tables.PHONE_NUMBERS;

import java.util.Optional;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * The read side of the phone-number directory that the telephony webhooks use: which tenant and agent an inbound
 * called number routes to. Entries are written through {@code /v1/phone-numbers}.
 */
@Component
public class PhoneNumberDirectory {

    /** An E.164 number as the directory keeps it: {@code +}, a non-zero digit, then up to 14 more digits. */
    public static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private final DSLContext db;

    public PhoneNumberDirectory(DSLContext db) {
        this.db = db;
    }

    /** Where calls to a number go. */
    public record Route(String number, String tenantId, String agentId) {
    }

    /** The route of an E.164 number; empty when the number is not in the directory (or is not E.164). */
    public Optional<Route> route(String number) {
        if (number == null || !E164.matcher(number).matches()) {
            return Optional.empty();
        }
        return db.select(PHONE_NUMBERS.TENANT_ID, PHONE_NUMBERS.AGENT_ID).from(PHONE_NUMBERS)
                .where(PHONE_NUMBERS.NUMBER.eq(number)).fetchOptional()
                .map(row -> new Route(number, row.value1(), row.value2()));
    }
}
