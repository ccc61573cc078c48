package io.sipai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.HostileRequests;
import io.sipai.gateway.testing.RawHttp;
import io.sipai.gateway.testing.Routes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Property: whatever hostile input reaches whichever route (every {@code /v1} and {@code /telephony} route the
 * controllers map, so a new one is covered without being listed), the gateway answers a 4xx
 * {@code application/problem+json} with a sipai problem type, never a 5xx, an HTML page or nothing, and stays
 * healthy. The input is generated from a seeded Random; the seed is printed, and {@code -Dhostile.seed=N} replays
 * a run ({@code -Dhostile.requests=N} changes its length).
 */
class HostileInputTest extends GatewayTest {

    private static final long SEED = Long.getLong("hostile.seed", System.nanoTime());
    private static final int REQUESTS = Integer.getInteger("hostile.requests", 600);

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping mapping;

    @Test
    void givenHostileInputOnEveryRoute_whenSent_thenEachAnswerIsA4xxProblemAndTheServiceStaysHealthy() {
        // given
        System.out.println("HostileInputTest seed=" + SEED + " (replay with -Dhostile.seed=" + SEED + ")");
        Random random = new Random(SEED);
        List<Routes.Route> routes = Routes.of(mapping, "/v1", "/telephony");
        String admin = newTenant("hostile");
        HostileRequests generator = new HostileRequests(random, List.of(admin, newKey(admin, List.of("admin")),
                newKey(admin, List.of("admin")), newKey(admin, List.of("write"))));
        RawHttp http = new RawHttp(port);
        List<String> failures = new ArrayList<>();
        // when
        for (int i = 0; i < REQUESTS; i++) {
            Routes.Route route = routes.get(i < routes.size() ? i : random.nextInt(routes.size()));
            HostileRequests.Hostile request = generator.next(route);
            try {
                check(route, request, http.send(request.head(), request.body()), failures);
            } catch (RuntimeException e) {
                failures.add(route + " <- " + request + " => no HTTP answer: " + e);
            }
        }
        // then
        assertThat(routes).as("routes found").hasSizeGreaterThan(30);
        assertThat(failures).as("seed " + SEED + ": answers that are not 4xx sipai problems").isEmpty();
        assertThat(call("GET", "/health", null, null).status()).isEqualTo(200);
        assertThat(call("GET", "/v1/agents", admin, null).status()).isEqualTo(200);
        assertThat(call("POST", "/v1/agents", admin, Map.of("name", "After the storm")).status()).isEqualTo(201);
    }

    private static void check(Routes.Route route, HostileRequests.Hostile request, RawHttp.Response answer,
                              List<String> failures) {
        String type = answer.json() == null || answer.json().get("type") == null ? null
                : answer.json().get("type").stringValue();
        boolean problem = answer.status() >= 400 && answer.status() < 500
                && String.valueOf(answer.header("Content-Type")).startsWith("application/problem+json")
                && type != null && type.startsWith(ProblemType.BASE);
        if (!problem) {
            String body = answer.text();
            failures.add(route + " <- " + request + " => " + answer.status() + " " + answer.header("Content-Type")
                    + " " + body.substring(0, Math.min(300, body.length())));
        }
    }
}
