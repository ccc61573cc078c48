package io.sipai.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: liveness, 200 while the process serves HTTP and every {@link LivenessCheck} passes, else 503
 * (a dead component that did not heal itself: the orchestrator restarts the process). {@code GET /health/ready}:
 * readiness, 200 only when the application accepts traffic (false from the moment shutdown starts) and every
 * {@link ReadinessCheck} passes, else 503. Both bodies name each check.
 */
@RestController
public class HealthController {

    private final List<ReadinessCheck> checks;
    private final List<LivenessCheck> liveness;
    private final ApplicationAvailability availability;

    public HealthController(List<ReadinessCheck> checks, List<LivenessCheck> liveness,
                            ApplicationAvailability availability) {
        this.checks = List.copyOf(checks);
        this.liveness = List.copyOf(liveness);
        this.availability = availability;
    }

    @GetMapping("/health")
    public ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean alive = true;
        for (LivenessCheck check : liveness) {
            boolean ok = check.alive();
            details.put(check.name(), ok);
            alive &= ok;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", alive ? "UP" : "DOWN");
        body.put("service", ServiceMain.serviceName());
        body.put("checks", details);
        return ResponseEntity.status(alive ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @GetMapping("/health/ready")
    public ResponseEntity<Map<String, Object>> ready() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean accepting = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        details.put("acceptingTraffic", accepting);
        boolean ready = accepting;
        for (ReadinessCheck check : checks) {
            boolean ok = check.ready();
            details.put(check.name(), ok);
            ready &= ok;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "READY" : "NOT_READY");
        body.put("service", ServiceMain.serviceName());
        body.put("checks", details);
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
