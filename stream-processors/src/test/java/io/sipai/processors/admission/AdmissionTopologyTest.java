package io.sipai.processors.admission;

import static io.sipai.testing.events.Events.acquire;
import static io.sipai.testing.events.Events.release;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionCounter;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.CounterScope;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EventSource;
import io.sipai.config.CampaignConfig;
import io.sipai.events.CallAdmitted;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.SlotReclaimed;
import io.sipai.processors.admission.internal.AdmissionProcessor;
import io.sipai.processors.admission.internal.AdmissionTopology;
import io.sipai.processors.testing.Drivers;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import io.sipai.schemas.CounterKeys;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission semantics, given/when/then, on the TopologyTestDriver with a mock wall clock. */
class AdmissionTopologyTest {

    private static final Duration TTL = Duration.ofSeconds(60);

    private TopologyTestDriver driver;
    private TestInputTopic<String, AdmissionCommand> commands;
    private TestOutputTopic<String, AdmissionDecision> decisions;
    private TestOutputTopic<String, CallEvent> events;
    private TestOutputTopic<String, QuarantinedRecord> quarantine;
    private TestOutputTopic<String, AdmissionCounter> counters;

    private void given(int global, int perTenant, int perCampaign) {
        driver = Drivers.driver(AdmissionTopology.build(AdmissionSettings.of(global, perTenant, perCampaign, TTL)),
                "admission-test");
        commands = Drivers.input(driver, Topics.CALL_ADMISSION);
        decisions = Drivers.output(driver, Topics.CALL_ADMISSION_DECISIONS);
        events = Drivers.output(driver, Topics.CALL_EVENTS);
        quarantine = Drivers.output(driver, Topics.CALL_QUARANTINE);
        counters = Drivers.output(driver, Topics.ADMISSION_COUNTERS);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private AdmissionDecision send(AdmissionCommand command) {
        commands.pipeInput(Topics.ADMISSION_KEY, command);
        return decisions.readValue();
    }

    private int counter(String key) {
        KeyValueStore<String, Integer> store = driver.getKeyValueStore(AdmissionTopology.COUNTERS_STORE);
        Integer value = store.get(key);
        return value == null ? 0 : value;
    }

    private long reclaimed() {
        return events.readValuesToList().stream().filter(event -> event.getPayload() instanceof SlotReclaimed)
                .count();
    }

    @Test
    void grantsUntilTheGlobalLimitThenRejectsNamingTheGlobalLimitWithCounts() {
        given(2, 10, 10);

        AdmissionDecision first = send(acquire("call-1", "t1", null));
        AdmissionDecision second = send(acquire("call-2", "t2", null));
        AdmissionDecision third = send(acquire("call-3", "t3", null));

        assertThat(first.getOutcome()).isInstanceOf(Granted.class);
        assertThat(((Granted) second.getOutcome()).getCounters().getGlobalActive()).isEqualTo(2);
        Rejected rejected = (Rejected) third.getOutcome();
        assertThat(rejected.getLimit()).isEqualTo(AdmissionLimit.GLOBAL);
        assertThat(rejected.getDetail()).isEqualTo("global limit 2 reached (2 active)");
        assertThat(rejected.getCounters().getGlobalActive()).isEqualTo(2);
        List<CallEvent> emitted = events.readValuesToList();
        assertThat(emitted).extracting(e -> e.getPayload().getClass().getSimpleName()).containsExactly("CallAdmitted",
                "CallAdmitted", "CallRejected");
        assertThat(emitted.get(2).getCallId()).isEqualTo("call-3");
    }

    @Test
    void rejectsAtTheTenantLimitWhileOtherTenantsStillGetSlots() {
        given(100, 1, 10);

        send(acquire("call-1", "t1", null));
        AdmissionDecision sameTenant = send(acquire("call-2", "t1", null));
        AdmissionDecision otherTenant = send(acquire("call-3", "t2", null));

        assertThat(((Rejected) sameTenant.getOutcome()).getLimit()).isEqualTo(AdmissionLimit.TENANT);
        assertThat(((Rejected) sameTenant.getOutcome()).getCounters().getTenantActive()).isEqualTo(1);
        assertThat(otherTenant.getOutcome()).isInstanceOf(Granted.class);
        assertThat(counter(CounterKeys.GLOBAL)).isEqualTo(2);
    }

    @Test
    void aCampaignsOwnLimitFromCampaignConfigOverridesTheDefault() {
        given(100, 100, 5);
        Drivers.input(driver, Topics.CAMPAIGN_CONFIG).pipeInput("camp-1", CampaignConfig.newBuilder()
                .setCampaignId("camp-1").setTenantId("t1").setVersion(1).setUpdatedAt(Events.T0).setName("c")
                .setMaxConcurrency(1).build());

        send(acquire("call-1", "t1", "camp-1"));
        AdmissionDecision overOwnLimit = send(acquire("call-2", "t1", "camp-1"));
        AdmissionDecision otherCampaign = send(acquire("call-3", "t1", "camp-2"));

        Rejected rejected = (Rejected) overOwnLimit.getOutcome();
        assertThat(rejected.getLimit()).isEqualTo(AdmissionLimit.CAMPAIGN);
        assertThat(rejected.getCounters().getCampaignLimit()).isEqualTo(1);
        assertThat(((Granted) otherCampaign.getOutcome()).getCounters().getCampaignLimit()).isEqualTo(5);
    }

    @Test
    void everyCounterChangeIsPublishedWithItsLimitAndTheLimitsComeOnceAtStart() {
        // given limits, and a campaign of its own limit
        given(100, 10, 5);
        driver.advanceWallClockTime(AdmissionProcessor.REAP_INTERVAL);
        AdmissionCounter limits = counters.readKeyValue().value;
        assertThat(limits.getScope()).isEqualTo(CounterScope.GLOBAL);
        assertThat(limits.getLimit()).isEqualTo(100);
        assertThat(limits.getDefaultTenantLimit()).isEqualTo(10);
        assertThat(limits.getDefaultCampaignLimit()).isEqualTo(5);

        // when a call of a campaign takes a slot, then its three counters are published at one
        send(acquire("call-1", "t1", "camp-1"));
        Map<String, AdmissionCounter> taken = counters.readKeyValuesToMap();
        assertThat(taken).containsOnlyKeys(CounterKeys.GLOBAL, CounterKeys.tenant("t1"),
                CounterKeys.campaign("camp-1"));
        assertThat(taken.values()).allSatisfy(counter -> assertThat(counter.getActive()).isEqualTo(1));
        assertThat(taken.get(CounterKeys.tenant("t1")).getLimit()).isEqualTo(10);
        assertThat(taken.get(CounterKeys.tenant("t1")).getId()).isEqualTo("t1");
        assertThat(taken.get(CounterKeys.campaign("camp-1")).getLimit()).isEqualTo(5);

        // and when it releases it, then they are published back at zero; a refused call changes none
        commands.pipeInput(Topics.ADMISSION_KEY, release("call-1", "t1", "camp-1"));
        assertThat(counters.readKeyValuesToMap().values())
                .hasSize(3).allSatisfy(counter -> assertThat(counter.getActive()).isZero());
        driver.close();
        given(100, 1, 5);
        send(acquire("call-2", "t2", null));
        counters.readKeyValuesToList();
        AdmissionDecision refused = send(acquire("call-3", "t2", null));
        assertThat(refused.getOutcome()).isNotInstanceOf(Granted.class);
        assertThat(counters.isEmpty()).isTrue();
    }

    @Test
    void aRetriedAcquireGetsTheSameDecisionAndTakesNoSecondSlot() {
        given(10, 10, 10);
        AdmissionCommand original = acquire("call-1", "t1", null);
        AdmissionCommand retry = AdmissionCommand.newBuilder(original).setCommandId(UUID.randomUUID().toString())
                .build();

        AdmissionDecision first = send(original);
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        AdmissionDecision again = send(retry);

        assertThat(again.getOutcome()).isEqualTo(first.getOutcome());
        assertThat(again.getDecidedAt()).isEqualTo(first.getDecidedAt());
        assertThat(again.getCommandId()).isEqualTo(retry.getCommandId());
        assertThat(counter(CounterKeys.GLOBAL)).isEqualTo(1);
        assertThat(events.readValuesToList()).hasSize(1);
    }

    @Test
    void aReleaseFreesTheSlotForTheNextCallAndARepeatedReleaseChangesNothing() {
        given(1, 10, 10);
        send(acquire("call-1", "t1", "camp-1"));

        commands.pipeInput(Topics.ADMISSION_KEY, release("call-1", "t1", "camp-1"));
        commands.pipeInput(Topics.ADMISSION_KEY, release("call-1", "t1", "camp-1"));
        AdmissionDecision next = send(acquire("call-2", "t1", null));

        assertThat(next.getOutcome()).isInstanceOf(Granted.class);
        assertThat(counter(CounterKeys.GLOBAL)).isEqualTo(1);
        assertThat(counter(CounterKeys.campaign("camp-1"))).isZero();
    }

    @Test
    void aReleaseBeforeItsAcquireMakesTheLateAcquireRejectedWithoutTakingASlot() {
        given(10, 10, 10);

        commands.pipeInput(Topics.ADMISSION_KEY, release("call-1", "t1", null));
        AdmissionDecision late = send(acquire("call-1", "t1", null));

        assertThat(((Rejected) late.getOutcome()).getLimit()).isEqualTo(AdmissionLimit.ALREADY_RELEASED);
        assertThat(counter(CounterKeys.GLOBAL)).isZero();
        assertThat(events.isEmpty()).isTrue();
    }

    @Test
    void reclamationDoesBoundedWorkPerTickAndResumesWhereItStopped() {
        int calls = AdmissionProcessor.REAP_BATCH * 2 + 100;
        given(calls, calls, calls);
        for (int i = 0; i < calls; i++) {
            commands.pipeInput(Topics.ADMISSION_KEY, acquire("call-" + i, "t1", null));
        }
        events.readValuesToList();

        driver.advanceWallClockTime(TTL.plusSeconds(1));
        assertThat(reclaimed()).isEqualTo(AdmissionProcessor.REAP_BATCH);
        driver.advanceWallClockTime(AdmissionProcessor.REAP_INTERVAL);
        assertThat(reclaimed()).isEqualTo(AdmissionProcessor.REAP_BATCH);
        driver.advanceWallClockTime(AdmissionProcessor.REAP_INTERVAL);
        assertThat(reclaimed()).isEqualTo(100);

        assertThat(counter(CounterKeys.GLOBAL)).isZero();
    }

    @Test
    void aCommandWithoutCallIdIsQuarantinedAsMalformed() {
        given(10, 10, 10);

        commands.pipeInput(Topics.ADMISSION_KEY, acquire(" ", "t1", null));

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.MALFORMED);
        assertThat(record.getReason()).contains("callId");
        assertThat(record.getSourceTopic()).isEqualTo(Topics.CALL_ADMISSION.name());
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void undecodableBytesAreQuarantinedWithTheOriginalBytesAndProcessingGoesOn() {
        given(10, 10, 10);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        driver.createInputTopic(Topics.CALL_ADMISSION.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer()).pipeInput(Topics.ADMISSION_KEY, garbage);
        AdmissionDecision next = send(acquire("call-1", "t1", null));

        QuarantinedRecord record = quarantine.readValue();
        assertThat(record.getReasonCode()).isEqualTo(QuarantineReason.UNDECODABLE);
        assertThat(record.getValue().array()).isEqualTo(garbage);
        assertThat(record.getProcessor()).isEqualTo("admission-test");
        assertThat(next.getOutcome()).isInstanceOf(Granted.class);
    }

    @Test
    void theLeaseInAGrantIsOneTtlAfterTheDecision() {
        given(10, 10, 10);

        Granted granted = (Granted) send(acquire("call-1", "t1", null)).getOutcome();

        assertThat(granted.getLeaseExpiresAt()).isEqualTo(Instant.from(Events.T0.plus(TTL)));
    }

    @Test
    void anAdmittedEventCarriesTheCallsIdsAndAnEventIdDerivedFromCallIdAndKind() {
        given(10, 10, 10);

        AdmissionDecision decision = send(acquire("call-1", "t1", "camp-1"));

        CallEvent admitted = events.readValue();
        assertThat(admitted.getEventId()).isEqualTo(UUID.nameUUIDFromBytes("admission/call-1/admitted"
                .getBytes(StandardCharsets.UTF_8)).toString());
        assertThat(admitted.getCallId()).isEqualTo("call-1");
        assertThat(admitted.getTenantId()).isEqualTo("t1");
        assertThat(admitted.getCampaignId()).isEqualTo("camp-1");
        assertThat(admitted.getSource()).isEqualTo(EventSource.STREAM_PROCESSORS);
        assertThat(admitted.getOccurredAt()).isEqualTo(decision.getDecidedAt());
    }
}
