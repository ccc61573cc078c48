package io.sipai.gateway.agents.internal;

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

/** {@code /v1/agents}: create, list, read, replace and delete agents; every write reaches agent.config.v1. */
@RestController
public class AgentsController {

    private final AgentService agents;

    public AgentsController(AgentService agents) {
        this.agents = agents;
    }

    @PostMapping("/v1/agents")
    @ResponseStatus(HttpStatus.CREATED)
    public AgentService.AgentView create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         @RequestBody AgentSpec spec) {
        return agents.create(caller.require(Scope.WRITE).tenantId(), spec);
    }

    @GetMapping("/v1/agents")
    public Map<String, Object> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return Map.of("data", agents.list(caller.require(Scope.READ).tenantId()));
    }

    @GetMapping("/v1/agents/{id}")
    public AgentService.AgentView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        return agents.get(caller.require(Scope.READ).tenantId(), id);
    }

    @PutMapping("/v1/agents/{id}")
    public AgentService.AgentView replace(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                          @PathVariable String id, @RequestBody AgentSpec spec) {
        return agents.replace(caller.require(Scope.WRITE).tenantId(), id, spec);
    }

    @DeleteMapping("/v1/agents/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        agents.delete(caller.require(Scope.WRITE).tenantId(), id);
    }
}
