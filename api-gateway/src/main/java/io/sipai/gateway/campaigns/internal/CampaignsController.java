package io.sipai.gateway.campaigns.internal;

import java.util.Map;

import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/campaigns}: CRUD with a per-campaign concurrency limit; every write reaches campaign.config.v1. */
@RestController
public class CampaignsController {

    private final CampaignService campaigns;

    public CampaignsController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @PostMapping("/v1/campaigns")
    @ResponseStatus(HttpStatus.CREATED)
    public CampaignService.CampaignView create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                               @RequestBody CampaignService.CampaignSpec spec) {
        return campaigns.create(caller.require(Scope.WRITE).tenantId(), spec);
    }

    @GetMapping("/v1/campaigns")
    public Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return Map.of("data", campaigns.list(caller.require(Scope.READ).tenantId()));
    }

    @GetMapping("/v1/campaigns/{id}")
    public CampaignService.CampaignView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                            @PathVariable String id) {
        return campaigns.get(caller.require(Scope.READ).tenantId(), id);
    }

    @PutMapping("/v1/campaigns/{id}")
    public CampaignService.CampaignView replace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                                @PathVariable String id,
                                                @RequestBody CampaignService.CampaignSpec spec) {
        return campaigns.replace(caller.require(Scope.WRITE).tenantId(), id, spec);
    }

    @DeleteMapping("/v1/campaigns/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        campaigns.delete(caller.require(Scope.WRITE).tenantId(), id);
    }
}
