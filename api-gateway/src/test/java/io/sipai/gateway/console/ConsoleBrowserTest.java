package io.sipai.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.CounterScope;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.runtime.tracing.TracingSettings;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.browser.Chromium;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The web console in Debian's headless Chromium against the gateway that serves it (same origin as /v1), its
 * projector on the real broker and PostgreSQL: a person signs in with an API key, sees the call in the calls list,
 * opens it and watches its timeline and transcript fill in live while the call's events are projected, until it
 * ends. Screenshots of each page go to target/screenshots.
 */
class ConsoleBrowserTest extends GatewayTest {

    private static final Duration WAIT = ConsoleSession.WAIT;

    @Test
    void aPersonSignsInSeesTheCallAndWatchesItsTimelineFillInLiveUntilItEnds() {
        // given a call in progress with two projected entries
        String callId = "console-" + UUID.randomUUID();
        project(timeline(callId, 2, CallStatus.IN_PROGRESS));
        entry(callId, 1, Events.requested());
        entry(callId, 2, Events.started());
        exportSpans(callId);

        try (Chromium browser = Chromium.start()) {
            // when a person opens the console with a wrong key, then they are told and stay signed out
            browser.open("http://127.0.0.1:" + port + "/");
            browser.await("#api-key", WAIT).sendKeys("sk_wrong_key_0123456789abcdef");
            browser.driver().findElement(By.id("sign-in")).click();
            assertThat(browser.awaitText("#error", WAIT)).isNotBlank();
            assertThat(browser.driver().getCurrentUrl()).doesNotContain("sk_");
            browser.screenshot("console-sign-in");

            // and with the right key, then the calls list shows the call and its status
            browser.retype("#api-key", ADMIN_KEY);
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
            // and the call's trace is a waterfall: each span under its parent
            browser.await("#trace li[data-span='turn.llm'][data-depth='3']", WAIT);
            assertThat(browser.driver().findElement(By.cssSelector("#trace li[data-depth='0']"))
                    .getAttribute("data-span")).isEqualTo("call");
            browser.screenshot("console-call");
            ((JavascriptExecutor) browser.driver()).executeScript("document.getElementById('trace').scrollIntoView()");
            browser.screenshot("console-call-trace");
        }
    }

    @Test
    void aPersonCreatesEditsAndDeletesAnAgentThroughTheForm() {
        try (Chromium browser = Chromium.start()) {
            signIn(browser);

            // when they fill the new agent form with a script that is not JSON, then the form says so
            browser.open(base() + "/#/agents");
            browser.await("#new-agent", WAIT).click();
            browser.await("#agent-name", WAIT).sendKeys("Ava");
            browser.driver().findElement(By.id("agent-greeting")).sendKeys("Hello from Ava.");
            browser.driver().findElement(By.id("agent-language")).sendKeys("en-GB");
            browser.driver().findElement(By.id("agent-silence-hangup-ms")).sendKeys("20000");
            browser.driver().findElement(By.id("agent-script")).sendKeys("{not json");
            browser.driver().findElement(By.id("agent-add-tool")).click();
            browser.await("#agent-tool-0-name", WAIT).sendKeys("bye");
            browser.driver().findElement(By.id("agent-tool-0-description")).sendKeys("End the call");
            new Select(browser.driver().findElement(By.id("agent-tool-0-type"))).selectByVisibleText("end_call");
            browser.driver().findElement(By.id("agent-save")).click();
            assertThat(browser.awaitText("#agent-script-error", WAIT)).isNotBlank();

            // and with the script fixed, then the agent is created with every field the form had
            browser.retype("#agent-script", "");
            browser.driver().findElement(By.id("agent-save")).click();
            browser.until("the agent's page", () -> browser.driver().getCurrentUrl().matches(".*#/agents/agt_.*"),
                    WAIT);
            String agentId = browser.driver().getCurrentUrl().replaceAll(".*#/agents/", "");
            JsonNode created = call("GET", "/v1/agents/" + agentId, ADMIN_KEY, null).json().get("spec");
            assertThat(created.get("name").stringValue()).isEqualTo("Ava");
            assertThat(created.get("greeting").stringValue()).isEqualTo("Hello from Ava.");
            assertThat(created.get("language").stringValue()).isEqualTo("en-GB");
            assertThat(created.get("silenceHangupMs").intValue()).isEqualTo(20000);
            assertThat(created.get("tools").get(0).get("type").stringValue()).isEqualTo("end_call");
            browser.screenshot("console-agent");

            // when they change the greeting and save, then the API serves the new one
            browser.await("#agent-greeting", WAIT);
            browser.retype("#agent-greeting", "Good morning.");
            browser.driver().findElement(By.id("agent-save")).click();
            browser.awaitText("#agent-saved", WAIT);
            assertThat(call("GET", "/v1/agents/" + agentId, ADMIN_KEY, null).json().get("spec").get("greeting")
                    .stringValue()).isEqualTo("Good morning.");

            // and when they delete it and confirm, then it is gone
            browser.driver().findElement(By.id("agent-delete")).click();
            browser.driver().switchTo().alert().accept();
            browser.until("back on the agents list", () -> browser.driver().getCurrentUrl().endsWith("#/agents"),
                    WAIT);
            assertThat(call("GET", "/v1/agents/" + agentId, ADMIN_KEY, null).status()).isEqualTo(404);
        }
    }

    @Test
    void aPersonSubscribesAWebhookSeesItsSecretOnceAndAsksForAReplay() {
        try (Chromium browser = Chromium.start()) {
            signIn(browser);

            // when they subscribe an endpoint to call.ended, then the secret is shown once
            browser.open(base() + "/#/webhooks");
            browser.await("#webhook-url", WAIT).sendKeys("https://example.com/hooks/" + UUID.randomUUID());
            browser.driver().findElement(By.id("webhook-event-type-call-ended")).click();
            browser.driver().findElement(By.id("webhook-create")).click();
            assertThat(browser.awaitText("#webhook-secret", WAIT)).contains("whsec_");
            String row = "tr[data-webhook-id]";
            browser.await(row, WAIT);
            browser.screenshot("console-webhooks");

            // and when they open it and ask for a replay of one event, then the replay is accepted
            browser.driver().findElement(By.cssSelector(row + " a")).click();
            browser.await("#replay-event-id", WAIT).sendKeys(UUID.randomUUID().toString());
            browser.driver().findElement(By.id("replay")).click();
            assertThat(browser.awaitText("#replay-accepted", WAIT)).containsIgnoringCase("accepted");
            assertThat(browser.text("#webhook-secret")).doesNotContain("whsec_");
            browser.screenshot("console-webhook");
        }
    }

    @Test
    void theCallsListShowsANewCallAndItsStatusChangesFromTheLiveStreamWithoutReadingTheListAgain() {
        try (Chromium browser = Chromium.start()) {
            // given a person on the calls list, the live stream ready (the list is read once it is)
            signIn(browser);
            browser.await("#calls", WAIT);
            browser.until("the calls list is live", () -> browser.text("#calls-live").equals("live"), WAIT);
            browser.until("the list was read after the stream was ready", () -> listReads(browser) >= 2, WAIT);
            // (settled: no read for longer than the 2 s the page polls at while its stream is down)
            long reads = settledListReads(browser);

            // when a call is projected, and then ends
            String callId = "live-list-" + UUID.randomUUID();
            project(timeline(callId, 1, CallStatus.IN_PROGRESS));
            String row = "tr[data-call-id='" + callId + "']";

            // then its row appears and its status changes in place, and the list was not read again for it
            browser.await(row, WAIT);
            assertThat(browser.text(row + " .status")).containsIgnoringCase("in_progress");
            project(timeline(callId, 2, CallStatus.ENDED));
            browser.until("the row reads ENDED", () -> browser.text(row + " .status")
                    .toUpperCase(Locale.ROOT).contains("ENDED"), WAIT);
            assertThat(browser.text(row + " .end-reason")).isEqualTo("CALLER_HANGUP");
            assertThat(listReads(browser)).isEqualTo(reads);
            browser.screenshot("console-calls-live");
        }
    }

    @Test
    void theAdmissionPageShowsTheSlotsHeldAgainstTheLimitsAndFollowsThem() {
        // given a campaign of the root tenant and admission's counters
        String agent = newAgent(ADMIN_KEY);
        String campaign = call("POST", "/v1/campaigns", ADMIN_KEY, Map.of("name", "Spring promo", "agentId", agent,
                "maxConcurrency", 4)).json().get("id").stringValue();
        TestKafka.produce(Topics.ADMISSION_COUNTERS, CounterKeys.GLOBAL, List.of(AdmissionCounter.newBuilder()
                .setScope(CounterScope.GLOBAL).setActive(5).setLimit(1000).setDefaultTenantLimit(200)
                .setDefaultCampaignLimit(100).setUpdatedAt(Instant.now()).build()));
        counter(CounterKeys.tenant("default"), CounterScope.TENANT, "default", 3, 200);
        counter(CounterKeys.campaign(campaign), CounterScope.CAMPAIGN, campaign, 2, 4);

        try (Chromium browser = Chromium.start()) {
            // when a platform admin opens the admission page
            signIn(browser);
            browser.open(base() + "/#/admission");

            // then it shows the tenant's, the campaign's and the platform's slots against their limits
            String row = "tr[data-campaign-id='" + campaign + "']";
            browser.until("the campaign's counter", () -> browser.driver().findElements(By.cssSelector(row)).size()
                    == 1 && browser.text(row + " .active").equals("2"), WAIT);
            assertThat(browser.text(row + " .limit")).isEqualTo("4");
            assertThat(browser.text(row)).contains("Spring promo");
            browser.until("the tenant's counter", () -> browser.text("#tenant-counter .active").equals("3"), WAIT);
            assertThat(browser.text("#tenant-counter .limit")).isEqualTo("200");
            assertThat(browser.text("#global-counter .limit")).isEqualTo("1000");
            browser.screenshot("console-admission");

            // and when a slot of the campaign is released, then the page follows
            counter(CounterKeys.campaign(campaign), CounterScope.CAMPAIGN, campaign, 1, 4);
            browser.until("the released slot", () -> browser.text(row + " .active").equals("1"), WAIT);
        }
    }

    private static void counter(String key, CounterScope scope, String id, int active, int limit) {
        TestKafka.produce(Topics.ADMISSION_COUNTERS, key, List.of(AdmissionCounter.newBuilder().setScope(scope)
                .setId(id).setActive(active).setLimit(limit).setUpdatedAt(Instant.now()).build()));
    }

    /** The list reads once none came for 2.5 s; fails when reads keep coming (the page polls: no live stream). */
    private static long settledListReads(Chromium browser) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long reads = listReads(browser);
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < Duration.ofMillis(2_500).toNanos()) {
            assertThat(System.nanoTime()).as("the list reads settle within " + WAIT).isLessThan(deadline);
            sleep(Duration.ofMillis(250));
            long now = listReads(browser);
            if (now != reads) {
                reads = now;
                stableSince = System.nanoTime();
            }
        }
        return reads;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many times the page has read GET /v1/calls (the stream is GET /v1/calls/events, not counted). */
    private static long listReads(Chromium browser) {
        Object count = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
                "return performance.getEntriesByType('resource')"
                        + ".filter(e => new URL(e.name).pathname === '/v1/calls').length;");
        return ((Number) count).longValue();
    }

    private void signIn(Chromium browser) {
        ConsoleSession.signIn(browser, port, ADMIN_KEY);
    }

    private String base() {
        return ConsoleSession.base(port);
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

    /** The call's spans as the services would export them to this gateway: root, media, a turn, its LLM step. */
    private void exportSpans(String callId) {
        TracingSettings toThisGateway = new TracingSettings(uri("/otlp").toString(), null);
        try (CallTracing tracing = CallTracing.of(toThisGateway, "realtime-edge")) {
            Instant start = Instant.now().minusSeconds(10);
            Span media = tracing.span("edge.media", callId, CallTracing.callContext(callId), SpanKind.SERVER)
                    .setStartTimestamp(start.plusMillis(200)).startSpan();
            Context inMedia = Context.root().with(media);
            Span turn = tracing.span("turn", callId, inMedia, SpanKind.INTERNAL)
                    .setStartTimestamp(start.plusSeconds(3)).startSpan();
            tracing.spanned("turn.llm", callId, inMedia.with(turn), CallTracing.epochNanos(start.plusMillis(3_700)),
                    CallTracing.epochNanos(start.plusMillis(3_900)), Attributes.empty());
            turn.end(start.plusMillis(4_000));
            media.end(start.plusSeconds(9));
            tracing.exportRoot(callId, tenantOf(ADMIN_KEY), start, start.plusSeconds(9), Attributes.empty());
        }
    }

    private static void project(CallTimeline timeline) {
        TestKafka.produce(Topics.CALL_TIMELINE, timeline.getCallId(), List.of(timeline));
    }

    private static void entry(String callId, long seq, Object payload) {
        CallEvent event = Events.eventNow(callId, "default", payload);
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, List.of(Events.entry(event, seq)));
    }
}
