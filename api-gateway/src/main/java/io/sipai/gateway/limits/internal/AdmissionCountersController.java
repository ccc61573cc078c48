package io.sipai.gateway.limits.internal;

import static io.sipai.gateway.db.jooq.Tables.CAMPAIGNS;

import java.util.List;

import io.sipai.admission.AdmissionCounter;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.schemas.CounterKeys;
import org.jooq.DSLContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/admission/counters}: the slots the caller's tenant and each of its campaigns hold, as admission
 * last published them (the global counter too for a platform admin key), against their limits in force: a
 * campaign's own {@code maxConcurrency}, else the defaults admission announced on its global counter when its task
 * started. A tenant or campaign with no published counter holds no slot.
 */
@RestController
public class AdmissionCountersController {

    /** The most campaigns listed (their names are read from the campaigns table). */
    private static final int MAX_CAMPAIGNS = 500;

    private final CounterTable table;
    private final DSLContext db;

    public AdmissionCountersController(CounterTable table, DSLContext db) {
        this.table = table;
        this.db = db;
    }

    /** One limit: slots held and the limit; limit null while admission has published none yet. */
    public record Counter(int active, Integer limit) {
    }

    /** A campaign's counter. */
    public record CampaignCounter(String campaignId, String name, int active, Integer limit) {
    }

    /** The body; global is present for platform admin keys only. */
    public record Counters(String tenantId, Counter tenant, List<CampaignCounter> campaigns, Counter global) {
    }

    @GetMapping("/v1/admission/counters")
    public Counters counters(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        String tenantId = caller.require(Scope.READ).tenantId();
        AdmissionCounter global = table.get(CounterKeys.GLOBAL).orElse(null);
        int tenantActive = table.get(CounterKeys.tenant(tenantId)).map(AdmissionCounter::getActive).orElse(0);
        Counter tenant = new Counter(tenantActive, global == null ? null : global.getDefaultTenantLimit());
        Counter all = caller.platformAdmin() && global != null ? new Counter(global.getActive(), global.getLimit())
                : null;
        return new Counters(tenantId, tenant, campaigns(tenantId, global), all);
    }

    /**
     * The tenant's campaigns by name with their slots; the limit from the campaign's own setting, else admission's
     * default (the limit a published counter names is the one of its last change, older than either).
     */
    private List<CampaignCounter> campaigns(String tenantId, AdmissionCounter global) {
        Integer defaultLimit = global == null ? null : global.getDefaultCampaignLimit();
        return db.select(CAMPAIGNS.CAMPAIGN_ID, CAMPAIGNS.NAME, CAMPAIGNS.MAX_CONCURRENCY).from(CAMPAIGNS)
                .where(CAMPAIGNS.TENANT_ID.eq(tenantId)).orderBy(CAMPAIGNS.NAME, CAMPAIGNS.CAMPAIGN_ID)
                .limit(MAX_CAMPAIGNS)
                .fetch(r -> new CampaignCounter(r.value1(), r.value2(),
                        table.get(CounterKeys.campaign(r.value1())).map(AdmissionCounter::getActive).orElse(0),
                        r.value3() != null ? r.value3() : defaultLimit));
    }
}
