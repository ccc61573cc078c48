package io.sipai.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.sipai.config.WebhookSubscription;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.webhook.WebhookReplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/** /v1/webhooks: secrets shown once, rotation overlap, replay commands, URL validation and the SSRF guard. */
class WebhooksApiTest extends GatewayTest {

    @Autowired
    SecretBox box;

    @Test
    void secretIsShownOnceAndRotationKeepsTheOldOneFor24Hours() {
        // given
        String key = newTenant("hooks");
        Answer created = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("call.ended")));
        String id = created.json().get("id").stringValue();
        String first = created.json().get("secret").stringValue();
        // when
        Answer rotated = call("POST", "/v1/webhooks/" + id + "/rotate-secret", key, null);
        // then
        assertThat(first).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(first.substring(6))).hasSizeBetween(24, 32);
        assertThat(call("GET", "/v1/webhooks/" + id, key, null).json().get("secret")).isNull();
        String second = rotated.json().get("secret").stringValue();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        WebhookSubscription latest = TestKafka.readAll(Topics.WEBHOOK_SUBSCRIPTIONS).stream()
                .filter(r -> r.getKey().equals(id)).map(Map.Entry::getValue).reduce((a, b) -> b).orElseThrow();
        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(latest.getSecrets()).hasSize(2);
        String owner = SecretBox.webhookOwner(tenantOf(key), id);
        assertThat(box.open(latest.getSecrets().get(0).getSecret(), owner)).isEqualTo(second);
        assertThat(latest.getSecrets().get(0).getNotAfter()).isNull();
        assertThat(box.open(latest.getSecrets().get(1).getSecret(), owner)).isEqualTo(first);
        assertThat(Duration.between(Instant.now(), latest.getSecrets().get(1).getNotAfter()))
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
    }

    @Test
    void replayOfOneEventIsPublishedAndAHalfRangeIs422() {
        String key = newTenant("replay");
        String id = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*"))).json().get("id").stringValue();
        Answer replay = call("POST", "/v1/webhooks/" + id + "/replay", key, Map.of("eventId", "evt-1"));
        Answer half = call("POST", "/v1/webhooks/" + id + "/replay", key, Map.of("from", "2026-01-01T00:00:00Z"));
        assertThat(replay.status()).isEqualTo(202);
        List<WebhookReplay> replays = TestKafka.readAll(Topics.WEBHOOK_REPLAY).stream()
                .filter(r -> r.getKey().equals(id)).map(Map.Entry::getValue).toList();
        assertThat(replays).singleElement().satisfies(r -> {
            assertThat(r.getEventId()).isEqualTo("evt-1");
            assertThat(r.getReplayId()).isEqualTo(replay.json().get("replayId").stringValue());
        });
        assertThat(half.status()).isEqualTo(422);
    }

    @Test
    void badUrlAndEventTypeAre422() {
        String key = newTenant("badhooks");
        Answer url = call("POST", "/v1/webhooks", key, Map.of("url", "ftp://example.com", "eventTypes",
                List.of("call.ended")));
        Answer type = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com", "eventTypes",
                List.of("Call Ended")));
        assertThat(url.status()).isEqualTo(422);
        assertThat(url.json().get("field").stringValue()).isEqualTo("url");
        assertThat(type.json().get("field").stringValue()).isEqualTo("eventTypes[0]");
        assertThat(call("GET", "/v1/webhooks", key, null).json().get("data")).isEmpty();
    }

    @Test
    void privateAndMetadataUrlsAreRefusedWith422NamingUrlOnCreateAndReplace() {
        // given a tenant with one valid subscription
        String key = newTenant("ssrfhooks");
        String id = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*"))).json().get("id").stringValue();

        // when URLs of the cloud metadata service, a private network and a decimal loopback are submitted
        Answer metadata = call("POST", "/v1/webhooks", key, Map.of("url",
                "https://169.254.169.254/latest/meta-data/", "eventTypes", List.of("*")));
        Answer privateNet = call("POST", "/v1/webhooks", key, Map.of("url", "https://10.0.0.7/hook",
                "eventTypes", List.of("*")));
        Answer replaced = call("PUT", "/v1/webhooks/" + id, key, Map.of("url", "https://2130706433/hook",
                "eventTypes", List.of("*")));

        // then each is a 422 problem on url, and nothing changed
        for (Answer refused : List.of(metadata, privateNet, replaced)) {
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().get("field").stringValue()).isEqualTo("url");
        }
        assertThat(call("GET", "/v1/webhooks", key, null).json().get("data")).singleElement()
                .satisfies(hook -> assertThat(hook.get("url").stringValue()).isEqualTo("https://example.com/hook"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.1/", "http://1.2.3/", "http://under_score.example/hook",
            "https://under_score.example/hook", "https:///hook", "https:hook", "https://example.com:99999/hook",
            "https://example.com/a b", "https://exa\u0000mple.com/hook"})
    void givenAUrlWithoutAUsableHost_whenCreatingAWebhook_thenItIs422NamingUrl(String url) {
        // given
        String key = newTenant("hostless-hooks");
        // when
        Answer answer = call("POST", "/v1/webhooks", key, Map.of("url", url, "eventTypes", List.of("*")));
        // then
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().get("type").stringValue()).endsWith("/validation-failed");
        assertThat(answer.json().get("field").stringValue()).isEqualTo("url");
        assertThat(call("GET", "/v1/webhooks", key, null).json().get("data")).isEmpty();
    }

    @Test
    void givenAReplayRangeOutsideWhatEventsCanHave_whenReplayed_thenItIs422NamingTheBound() {
        // given
        String key = newTenant("far-replay");
        String id = call("POST", "/v1/webhooks", key, Map.of("url", "https://example.com/hook",
                "eventTypes", List.of("*"))).json().get("id").stringValue();
        // when
        Answer future = call("POST", "/v1/webhooks/" + id + "/replay", key, Map.of(
                "from", "+999999999-12-30T00:00:00Z", "to", "+999999999-12-31T00:00:00Z"));
        Answer past = call("POST", "/v1/webhooks/" + id + "/replay", key, Map.of(
                "from", "-999999999-01-01T00:00:00Z", "to", "-999999999-01-02T00:00:00Z"));
        // then
        assertThat(future.status()).as(future.response().body()).isEqualTo(422);
        assertThat(future.json().get("field").stringValue()).isEqualTo("from");
        assertThat(past.status()).as(past.response().body()).isEqualTo(422);
        assertThat(past.json().get("field").stringValue()).isEqualTo("from");
    }
}
