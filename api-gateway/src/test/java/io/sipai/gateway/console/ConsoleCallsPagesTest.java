package io.sipai.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.sipai.gateway.testing.FakeJambonz;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.testing.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import tools.jackson.databind.JsonNode;

/**
 * The console's campaign, phone number and outbound call pages in headless Chromium against the gateway (its
 * admission stand-in and a local fake jambonz): a person sets up a campaign and a number for an agent, places a call
 * from the form, lands on the call's live page, and finds the call in the calls list filtered by the campaign.
 */
class ConsoleCallsPagesTest extends GatewayTest {

    private static final Duration WAIT = ConsoleSession.WAIT;

    @Test
    void aPersonSetsUpACampaignAndANumberPlacesACallAndFindsItByCampaign() {
        // given an agent
        String agentId = call("POST", "/v1/agents", ADMIN_KEY, Map.of("name", "Outbound Olga")).json().get("id")
                .stringValue();
        String number = String.format(Locale.ROOT, "+1415555%04d", ThreadLocalRandom.current().nextInt(10_000));

        try (Chromium browser = Chromium.start()) {
            signIn(browser);

            // when a person creates a campaign for it, then the API has it as typed
            browser.open(base() + "/#/campaigns");
            browser.await("#campaign-name", WAIT).sendKeys("Spring follow-up");
            browser.choose("#campaign-agent", agentId);
            browser.driver().findElement(By.id("campaign-max-concurrency")).sendKeys("5");
            browser.driver().findElement(By.id("campaign-voicemail")).sendKeys("{\"detect\": true}");
            browser.driver().findElement(By.id("campaign-create")).click();
            browser.await("#campaigns tr[data-campaign-id]", WAIT);
            JsonNode campaign = campaignNamed("Spring follow-up");
            assertThat(campaign.get("agentId").stringValue()).isEqualTo(agentId);
            assertThat(campaign.get("maxConcurrency").intValue()).isEqualTo(5);
            assertThat(campaign.get("voicemail").get("detect").booleanValue()).isTrue();
            String campaignId = campaign.get("id").stringValue();
            browser.screenshot("console-campaigns");

            // and adds a phone number routed to the agent
            browser.open(base() + "/#/numbers");
            browser.await("#number-number", WAIT).sendKeys(number);
            browser.choose("#number-agent", agentId);
            browser.driver().findElement(By.id("number-add")).click();
            browser.await("#numbers tr[data-number='" + number + "']", WAIT);
            assertThat(call("GET", "/v1/phone-numbers/" + number.replace("+", "%2B"), ADMIN_KEY, null).json()
                    .get("agentId").stringValue()).isEqualTo(agentId);

            // and places a call from the form, then it is originated and they land on the call's page
            int originations = FakeJambonz.REQUESTS.size();
            browser.open(base() + "/#/calls");
            browser.await("#new-call", WAIT).click();
            browser.await("#call-to", WAIT).sendKeys("+14155550100");
            browser.driver().findElement(By.id("call-from")).sendKeys(number);
            browser.choose("#call-agent", agentId);
            browser.choose("#call-campaign", campaignId);
            browser.choose("#call-provider", "jambonz");
            browser.driver().findElement(By.id("call-metadata")).sendKeys("crm=42");
            browser.driver().findElement(By.id("call-place")).click();
            browser.until("the call's page", () -> browser.driver().getCurrentUrl().matches(".*#/calls/[^?/]+$")
                    && !browser.driver().getCurrentUrl().endsWith("/new"), WAIT);
            String callId = browser.driver().getCurrentUrl().replaceAll(".*#/calls/", "");
            assertThat(FakeJambonz.REQUESTS.size()).isGreaterThan(originations);
            JsonNode placed = call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).json();
            assertThat(placed.get("campaignId").stringValue()).isEqualTo(campaignId);
            assertThat(placed.get("agentId").stringValue()).isEqualTo(agentId);
            assertThat(placed.get("provider").stringValue()).isEqualTo("jambonz");

            // and the calls list filtered by the campaign shows it, filtered by status ended it does not
            browser.open(base() + "/#/calls?campaignId=" + campaignId);
            browser.await("tr[data-call-id='" + callId + "']", WAIT);
            browser.screenshot("console-calls-filtered");
            browser.choose("#filter-status", "ended");
            browser.until("the filter applied", () -> browser.driver().findElements(
                    By.cssSelector("tr[data-call-id='" + callId + "']")).isEmpty(), WAIT);
        }
    }

    private JsonNode campaignNamed(String name) {
        for (JsonNode campaign : call("GET", "/v1/campaigns", ADMIN_KEY, null).json().get("data")) {
            if (name.equals(campaign.get("name").stringValue())) {
                return campaign;
            }
        }
        throw new AssertionError("no campaign named " + name);
    }

    private void signIn(Chromium browser) {
        ConsoleSession.signIn(browser, port, ADMIN_KEY);
    }

    private String base() {
        return ConsoleSession.base(port);
    }
}
