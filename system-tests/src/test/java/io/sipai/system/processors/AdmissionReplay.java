package io.sipai.system.processors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.sipai.admission.AcquireSlot;
import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.AdmissionDecision;
import io.sipai.admission.Granted;
import io.sipai.admission.Rejected;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.AdmissionLimit;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The admission semantics replayed by the test over the command log ({@code call.admission.v1}, one partition, read
 * {@code read_committed} from the beginning, including the release bridge's ReleaseSlot commands), for tenants
 * whose slots never expire during the scenario: a new call is granted while its tenant holds fewer than the limit
 * and refused {@code TENANT} otherwise, a call asked again gets its first decision, a release frees a held slot and
 * leaves a marker for an unknown call (whose late acquire is {@code ALREADY_RELEASED}). The replay predicts every
 * decision and the counters; the processors' actual decisions and counters must equal it.
 */
public final class AdmissionReplay {

    /** What the replay found: slots each tenant holds at the end, and every disagreement with the processors. */
    public record Result(Map<String, Integer> active, int acquires, int maxActive, List<String> problems) {
    }

    private enum State { HELD, RELEASED, REFUSED, MARKER }

    private AdmissionReplay() {
    }

    /** Reads the whole command log. */
    public static List<AdmissionCommand> commandLog(String bootstrapServers) {
        List<AdmissionCommand> log = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.CALL_ADMISSION.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    log.add(Topics.CALL_ADMISSION.valueSerde().deserializer().deserialize(
                            Topics.CALL_ADMISSION.name(), record.value()));
                }
            }
        }
        return log;
    }

    /**
     * Replays the commands of the tenants {@code inScope} accepts (limit {@code limit} each) and compares every
     * acquire's decision (exactly one per commandId) with the prediction.
     */
    public static Result replay(List<AdmissionCommand> log, List<AdmissionDecision> decisions,
                                Predicate<String> inScope, int limit) {
        Map<String, List<AdmissionDecision>> byCommand = new HashMap<>();
        decisions.forEach(d -> byCommand.computeIfAbsent(d.getCommandId(), id -> new ArrayList<>()).add(d));
        Map<String, State> calls = new HashMap<>();
        Map<String, Object> firstOutcome = new HashMap<>();
        Map<String, Integer> active = new HashMap<>();
        List<String> problems = new ArrayList<>();
        int acquires = 0;
        int maxActive = 0;
        for (AdmissionCommand command : log) {
            String tenant = command.getTenantId();
            String callId = command.getCallId();
            if (!inScope.test(tenant)) {
                continue;
            }
            State state = calls.get(callId);
            if (command.getCommand() instanceof AcquireSlot) {
                acquires++;
                Object expected;
                if (state == State.MARKER) {
                    expected = AdmissionLimit.ALREADY_RELEASED;
                    calls.put(callId, State.REFUSED);
                } else if (state != null) {
                    expected = firstOutcome.get(callId);
                } else if (active.getOrDefault(tenant, 0) < limit) {
                    expected = Granted.class;
                    active.merge(tenant, 1, Integer::sum);
                    maxActive = Math.max(maxActive, active.get(tenant));
                    calls.put(callId, State.HELD);
                } else {
                    expected = AdmissionLimit.TENANT;
                    calls.put(callId, State.REFUSED);
                }
                firstOutcome.putIfAbsent(callId, expected);
                check(command, expected, byCommand.getOrDefault(command.getCommandId(), List.of()), problems);
            } else if (command.getCommand() instanceof ReleaseSlot) {
                if (state == State.HELD) {
                    active.merge(tenant, -1, Integer::sum);
                    calls.put(callId, State.RELEASED);
                } else if (state == null) {
                    calls.put(callId, State.MARKER);
                }
            }
        }
        return new Result(active, acquires, maxActive, problems);
    }

    private static void check(AdmissionCommand acquire, Object expected, List<AdmissionDecision> answers,
                              List<String> problems) {
        String what = "acquire " + acquire.getCommandId() + " of " + acquire.getCallId();
        if (answers.size() != 1) {
            problems.add(what + ": " + answers.size() + " decisions");
            return;
        }
        Object outcome = answers.getFirst().getOutcome();
        Object actual = outcome instanceof Rejected rejected ? rejected.getLimit() : outcome.getClass();
        if (!actual.equals(expected)) {
            problems.add(what + ": " + actual + ", the replay says " + expected);
        }
    }

    /** Tenants with a slot in {@code active}, without zeros. */
    public static Map<String, Integer> nonZero(Map<String, Integer> active) {
        Map<String, Integer> held = new HashMap<>();
        active.forEach((tenant, count) -> {
            if (count != 0) {
                held.put(tenant, count);
            }
        });
        return held;
    }

    /** Whether {@code tenant} is one of {@code tenants}. */
    public static Predicate<String> tenants(Set<String> tenants) {
        return tenants::contains;
    }
}
