package io.sipai.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.browser.Chromium;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The web console in Debian's headless Chromium against the gateway that serves it (same origin as /v1), its
 * projector on the real broker and PostgreSQL: a person signs in with an API key, sees the call in the calls list,
 * opens it and watches its timeline and transcript fill in live while the call's events are projected, until it
 * ends. Screenshots of each page go to target/screenshots.
 */
class ConsoleBrowserTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aPersonSignsInSeesTheCallAndWatchesItsTimelineFillInLiveUntilItEnds() {
        // given a call in progress with two projected entries
        String callId = "console-" + UUID.randomUUID();
        project(timeline(callId, 2, CallStatus.IN_PROGRESS));
        entry(callId, 1, Events.requested());
        entry(callId, 2, Events.started());

        try (Chromium browser = Chromium.start()) {
            // when a person opens the console with a wrong key, then they are told and stay signed out
            browser.open("http://127.0.0.1:" + port + "/");
            browser.await("#api-key", WAIT).sendKeys("sk_wrong_key_0123456789abcdef");
            browser.driver().findElement(By.id("sign-in")).click();
            assertThat(browser.awaitText("#error", WAIT)).isNotBlank();
            assertThat(browser.driver().getCurrentUrl()).doesNotContain("sk_");
            browser.screenshot("console-sign-in");

            // and with the right key, then the calls list shows the call and its status
            browser.driver().findElement(By.id("api-key")).clear();
            browser.driver().findElement(By.id("api-key")).sendKeys(ADMIN_KEY);
            browser.driver().findElement(By.id("sign-in")).click();
            String row = "tr[data-call-id='" + callId + "']";
            browser.await(row, WAIT);
            assertThat(browser.text(row + " .status")).containsIgnoringCase("in_progress");
            assertThat(browser.driver().getCurrentUrl()).doesNotContain(ADMIN_KEY);
            browser.screenshot("console-calls");

            // when they open the call, then the entries so far are there
            browser.driver().findElement(By.cssSelector(row + " a")).click();
            browser.await("#timeline li[data-seq='2']", WAIT);
            assertThat(browser.text("#live")).isEqualTo("live");

            // and when the call goes on and ends, then each entry appears live, the conversation and the end too
            entry(callId, 3, Events.transcript("i would like to book an appointment", true, 1));
            browser.await("#timeline li[data-seq='3']", WAIT);
            entry(callId, 4, Events.utterance("Sure. What day and time would suit you?", 1));
            entry(callId, 5, Events.ended(EndReason.CALLER_HANGUP));
            project(timeline(callId, 5, CallStatus.ENDED));
            browser.await("#timeline li[data-seq='5'][data-type='CallEnded']", WAIT);
            browser.until("the stream ended", () -> "ended".equals(browser.text("#live")), WAIT);
            assertThat(browser.text("#transcript .caller")).contains("i would like to book an appointment");
            assertThat(browser.text("#transcript .agent")).contains("What day and time would suit you?");
            browser.until("the call's status reads ENDED", () -> browser.text("#call-status")
                    .toUpperCase(Locale.ROOT).contains("ENDED"), WAIT);
            assertThat(browser.driver().findElements(By.cssSelector("#timeline li"))).hasSize(5);
            browser.screenshot("console-call");
        }
    }

    private static CallTimeline timeline(String callId, long version, CallStatus status) {
        Instant now = Instant.now();
        CallTimeline.Builder timeline = CallTimeline.newBuilder().setCallId(callId).setTenantId("default")
                .setStatus(status).setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                .setRequestedAt(now).setStartedAt(now).setEntryCount(version).setLastEventId("e" + version)
                .setLastEventAt(now).setVersion(version);
        if (status == CallStatus.ENDED) {
            timeline.setEndedAt(now).setEndReason(EndReason.CALLER_HANGUP);
        }
        return timeline.build();
    }

    private static void project(CallTimeline timeline) {
        TestKafka.produce(Topics.CALL_TIMELINE, timeline.getCallId(), List.of(timeline));
    }

    private static void entry(String callId, long seq, Object payload) {
        CallEvent event = Events.eventNow(callId, "default", payload);
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, List.of(Events.entry(event, seq)));
    }
}
