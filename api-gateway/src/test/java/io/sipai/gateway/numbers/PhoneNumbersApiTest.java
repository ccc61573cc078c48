package io.sipai.gateway.numbers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.sipai.gateway.testing.GatewayTest;
import org.junit.jupiter.api.Test;

/**
 * /v1/phone-numbers: the directory's CRUD, E.164 and agent validation naming the field, numbers unique across
 * tenants (409 without naming the holder), and another tenant's number answering 404.
 */
class PhoneNumbersApiTest extends GatewayTest {

    @Test
    void givenAnAgent_whenANumberIsClaimedReadMovedAndDeleted_thenEachStepAnswersAndTheVersionGoesUp() {
        // given
        String key = newTenant("numbers-crud");
        String first = newAgent(key);
        String second = newAgent(key);
        String number = randomNumber();
        // when
        Answer created = call("POST", "/v1/phone-numbers", key, Map.of("number", number, "agentId", first));
        Answer encoded = call("GET", "/v1/phone-numbers/" + encode(number), key, null);
        Answer plain = call("GET", "/v1/phone-numbers/" + number, key, null);
        Answer moved = call("PUT", "/v1/phone-numbers/" + encode(number), key, Map.of("agentId", second));
        Answer listed = call("GET", "/v1/phone-numbers", key, null);
        Answer deleted = call("DELETE", "/v1/phone-numbers/" + encode(number), key, null);
        // then
        assertThat(created.status()).as(created.response().body()).isEqualTo(201);
        assertThat(created.json().get("number").stringValue()).isEqualTo(number);
        assertThat(created.json().get("tenantId").stringValue()).isEqualTo(tenantOf(key));
        assertThat(created.json().get("agentId").stringValue()).isEqualTo(first);
        assertThat(created.json().get("version").longValue()).isEqualTo(1);
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(plain.json().get("agentId").stringValue()).isEqualTo(first);
        assertThat(moved.status()).as(moved.response().body()).isEqualTo(200);
        assertThat(moved.json().get("agentId").stringValue()).isEqualTo(second);
        assertThat(moved.json().get("version").longValue()).isEqualTo(2);
        assertThat(listed.json().get("data")).hasSize(1);
        assertThat(listed.json().get("data").get(0).get("agentId").stringValue()).isEqualTo(second);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(call("GET", "/v1/phone-numbers/" + encode(number), key, null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/phone-numbers/" + encode(number), key, null).status()).isEqualTo(404);
    }

    @Test
    void listIsInNumberOrderAndPagesWithACursor() {
        // given
        String key = newTenant("numbers-pages");
        String agent = newAgent(key);
        List<String> numbers = List.of(randomNumber(), randomNumber(), randomNumber()).stream().sorted().toList();
        numbers.forEach(number -> assertThat(call("POST", "/v1/phone-numbers", key, Map.of("number", number,
                "agentId", agent)).status()).isEqualTo(201));
        // when
        Answer first = call("GET", "/v1/phone-numbers?limit=2", key, null);
        Answer second = call("GET", "/v1/phone-numbers?limit=2&cursor=" + first.json().get("nextCursor")
                .stringValue(), key, null);
        Answer badCursor = call("GET", "/v1/phone-numbers?cursor=nope", key, null);
        Answer badLimit = call("GET", "/v1/phone-numbers?limit=0", key, null);
        // then
        assertThat(first.json().get("data")).extracting(n -> n.get("number").stringValue())
                .containsExactly(numbers.get(0), numbers.get(1));
        assertThat(second.json().get("data")).extracting(n -> n.get("number").stringValue())
                .containsExactly(numbers.get(2));
        assertThat(second.json().get("nextCursor")).isNull();
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("field").stringValue()).isEqualTo("cursor");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("field").stringValue()).isEqualTo("limit");
    }

    @Test
    void aNumberThatIsNotE164Is422NamingNumberAndNothingIsWritten() {
        String key = newTenant("numbers-e164");
        String agent = newAgent(key);
        for (String bad : List.of("14155550100", "+1", "+0123456789", "+1234567890123456", "+1 415 555 0100",
                "tel:+14155550100", "")) {
            Answer answer = call("POST", "/v1/phone-numbers", key, Map.of("number", bad, "agentId", agent));
            assertThat(answer.status()).as(bad).isEqualTo(422);
            assertThat(answer.json().get("type").stringValue()).endsWith("/validation-failed");
            assertThat(answer.json().get("field").stringValue()).isEqualTo("number");
        }
        Answer missing = call("POST", "/v1/phone-numbers", key, Map.of("agentId", agent));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("field").stringValue()).isEqualTo("number");
        assertThat(call("GET", "/v1/phone-numbers", key, null).json().get("data")).isEmpty();
    }

    @Test
    void anAgentThatIsMissingUnknownOrAnotherTenantsIs422NamingAgentId() {
        // given
        String key = newTenant("numbers-agent");
        String foreignAgent = newAgent(newTenant("numbers-agent-other"));
        String number = randomNumber();
        // when
        List<Answer> refused = List.of(
                call("POST", "/v1/phone-numbers", key, Map.of("number", number)),
                call("POST", "/v1/phone-numbers", key, Map.of("number", number, "agentId", "agt_nope")),
                call("POST", "/v1/phone-numbers", key, Map.of("number", number, "agentId", foreignAgent)));
        call("POST", "/v1/phone-numbers", key, Map.of("number", number, "agentId", newAgent(key)));
        Answer foreignUpdate = call("PUT", "/v1/phone-numbers/" + encode(number), key,
                Map.of("agentId", foreignAgent));
        // then
        refused.forEach(answer -> {
            assertThat(answer.status()).as(answer.response().body()).isEqualTo(422);
            assertThat(answer.json().get("field").stringValue()).isEqualTo("agentId");
        });
        assertThat(foreignUpdate.status()).isEqualTo(422);
        assertThat(foreignUpdate.json().get("field").stringValue()).isEqualTo("agentId");
        assertThat(call("GET", "/v1/phone-numbers/" + encode(number), key, null).json().get("version").longValue())
                .isEqualTo(1);
    }

    @Test
    void aClaimedNumberIs409NumberTakenForEveryTenantWithoutNamingTheHolder() {
        // given
        String holder = newTenant("numbers-holder");
        String other = newTenant("numbers-claimant");
        String number = randomNumber();
        assertThat(call("POST", "/v1/phone-numbers", holder, Map.of("number", number, "agentId", newAgent(holder)))
                .status()).isEqualTo(201);
        // when
        Answer again = call("POST", "/v1/phone-numbers", holder, Map.of("number", number,
                "agentId", newAgent(holder)));
        Answer foreign = call("POST", "/v1/phone-numbers", other, Map.of("number", number,
                "agentId", newAgent(other)));
        // then
        for (Answer answer : List.of(again, foreign)) {
            assertThat(answer.status()).isEqualTo(409);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().get("type").stringValue()).isEqualTo("https://sipai.dev/problems/number-taken");
            assertThat(answer.response().body()).doesNotContain(tenantOf(holder));
        }
        assertThat(call("GET", "/v1/phone-numbers", other, null).json().get("data")).isEmpty();
    }

    @Test
    void anotherTenantsNumberIs404AndWritesNeedTheWriteScope() {
        // given
        String owner = newTenant("numbers-owner");
        String stranger = newTenant("numbers-stranger");
        String number = randomNumber();
        call("POST", "/v1/phone-numbers", owner, Map.of("number", number, "agentId", newAgent(owner)));
        // when
        Answer read = call("GET", "/v1/phone-numbers/" + encode(number), stranger, null);
        Answer update = call("PUT", "/v1/phone-numbers/" + encode(number), stranger,
                Map.of("agentId", newAgent(stranger)));
        Answer delete = call("DELETE", "/v1/phone-numbers/" + encode(number), stranger, null);
        Answer readOnly = call("POST", "/v1/phone-numbers", newKey(owner, List.of("read")),
                Map.of("number", randomNumber(), "agentId", newAgent(owner)));
        // then
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.json().get("type").stringValue()).endsWith("/not-found");
        assertThat(update.status()).isEqualTo(404);
        assertThat(delete.status()).isEqualTo(404);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(call("GET", "/v1/phone-numbers/" + encode(number), owner, null).status()).isEqualTo(200);
    }

    /** A number no other test uses: +49 and ten random digits. */
    static String randomNumber() {
        return "+49" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L);
    }

    private static String encode(String number) {
        return number.replace("+", "%2B");
    }
}
