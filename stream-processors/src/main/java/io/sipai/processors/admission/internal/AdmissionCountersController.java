package io.sipai.processors.admission.internal;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import io.sipai.processors.admission.AdmissionSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.CounterKeys;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admission/counters}: live active-slot counts and limits (global, per tenant, per campaign), read from
 * the admission app's counter store by interactive query. Only tenants and campaigns that hold slots are listed.
 * While the store is not queryable (startup, restoration, rebalance) it answers 503 with a problem body.
 */
@RestController
public class AdmissionCountersController {

    private final StreamsApplication admission;
    private final AdmissionSettings settings;

    public AdmissionCountersController(@Qualifier("admissionApp") StreamsApplication admission,
                                       AdmissionSettings settings) {
        this.admission = admission;
        this.settings = settings;
    }

    /** One counter. */
    public record Counter(int active, int limit) {
    }

    /** The counters body. */
    public record Counters(Counter global, Map<String, Counter> tenants, Map<String, Counter> campaigns) {
    }

    @GetMapping(path = "/admission/counters", produces = {MediaType.APPLICATION_JSON_VALUE,
            MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public ResponseEntity<?> counters() {
        try {
            return ResponseEntity.ok(read());
        } catch (InvalidStateStoreException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "admission counters are not queryable right now (" + admission.state() + "); retry shortly");
            problem.setTitle("Admission counters unavailable");
            problem.setType(URI.create("urn:sipai:problem:admission-counters-unavailable"));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
    }

    private Counters read() {
        ReadOnlyKeyValueStore<String, Integer> store = admission.keyValueStore(AdmissionTopology.COUNTERS_STORE);
        ReadOnlyKeyValueStore<String, Integer> campaignLimits =
                admission.keyValueStore(AdmissionTopology.CAMPAIGN_LIMITS_STORE);
        int global = 0;
        Map<String, Counter> tenants = new TreeMap<>();
        Map<String, Counter> campaigns = new TreeMap<>();
        try (KeyValueIterator<String, Integer> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Integer> next = all.next();
                if (next.key.equals(CounterKeys.GLOBAL)) {
                    global = next.value;
                } else if (next.key.startsWith(CounterKeys.TENANT_PREFIX)) {
                    tenants.put(next.key.substring(CounterKeys.TENANT_PREFIX.length()),
                            new Counter(next.value, settings.perTenantMaxConcurrency()));
                } else if (next.key.startsWith(CounterKeys.CAMPAIGN_PREFIX)) {
                    String campaignId = next.key.substring(CounterKeys.CAMPAIGN_PREFIX.length());
                    Integer own = campaignLimits.get(campaignId);
                    campaigns.put(campaignId, new Counter(next.value,
                            own == null ? settings.perCampaignMaxConcurrency() : own));
                }
            }
        }
        return new Counters(new Counter(global, settings.globalMaxConcurrency()), tenants, campaigns);
    }
}
