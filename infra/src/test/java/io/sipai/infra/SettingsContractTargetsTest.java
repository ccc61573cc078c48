package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Every deploy target against the configuration contract's "required by" and "shape" ({@link ServiceSettings}): each
 * service the target runs gets every setting a deployment must give it, and every value the target writes down
 * (compose's defaults, the ConfigMaps, Terraform's literals) has the shape its setting declares. Each check also
 * runs on a known-bad input, so a check that cannot fail fails.
 */
class SettingsContractTargetsTest {

    private static final Map<String, ServiceSettings.Setting> CONTRACT = ServiceSettings.contract().stream()
            .collect(Collectors.toMap(ServiceSettings.Setting::name, Function.identity()));
    private static final Pattern COMPOSE_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+:-(.*)}");
    private static final Pattern SHAPES = Pattern.compile("integer|number|boolean|duration|url|host:port list|text");

    // ---- every required setting reaches every service that needs it

    static List<String> missingRequired(String target, Map<String, Set<String>> givenByService) {
        List<String> findings = new ArrayList<>();
        givenByService.forEach((service, given) -> CONTRACT.values().stream()
                .filter(setting -> setting.requiredBy().contains(service) && !given.contains(setting.name()))
                .forEach(setting -> findings.add(target + " does not give " + service + " " + setting.name())));
        return findings;
    }

    @Test
    void everyTargetGivesEachServiceEverySettingADeploymentMustSet() {
        List<String> findings = new ArrayList<>();
        findings.addAll(missingRequired("compose", DeployTargets.composeByService()));
        findings.addAll(missingRequired("kubernetes", DeployTargets.kubernetesByService()));
        findings.addAll(missingRequired("terraform", DeployTargets.terraformByService()));
        assertThat(findings).isEmpty();

        // and a dispatcher left without its public API base, or an edge without the token secret, is found
        Map<String, Set<String>> bad = new LinkedHashMap<>(DeployTargets.terraformByService());
        bad.put("webhook-dispatcher", Set.of("KAFKA_BOOTSTRAP_SERVERS", "SIPAI_SECRETS_KEYS"));
        bad.put("realtime-edge", Set.of("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(missingRequired("fixture", bad)).containsExactlyInAnyOrder(
                "fixture does not give webhook-dispatcher WEBHOOK_API_BASE_URL",
                "fixture does not give realtime-edge TELEPHONY_TOKEN_SECRET");
    }

    @Test
    void theMasterKeysReachOnlyTheServicesThatSealOrOpenSecrets() {
        Set<String> holders = CONTRACT.get("SIPAI_SECRETS_KEYS").requiredBy();
        assertThat(holders).containsExactlyInAnyOrder("api-gateway", "webhook-dispatcher");
        for (Map<String, Set<String>> target : List.of(DeployTargets.composeByService(),
                DeployTargets.kubernetesByService(), DeployTargets.terraformByService())) {
            target.forEach((service, given) -> assertThat(given.contains("SIPAI_SECRETS_KEYS"))
                    .as(service + " holds the master keys").isEqualTo(holders.contains(service)));
        }
    }

    // ---- values of the declared shape

    static boolean fits(String shape, String value) {
        return switch (shape) {
            case "integer" -> value.matches("-?\\d+");
            case "number" -> value.matches("-?\\d+(\\.\\d+)?");
            case "boolean" -> value.matches("(?i)true|false");
            case "duration" -> value.matches("\\d+(ns|us|ms|s|m|h|d)?|(?i)P(\\d+D)?(T[\\d.HMS]+)?");
            case "url" -> value.matches("(?i)(https?|wss?)://[^\\s/:]+(:\\d+)?(/\\S*)?|jdbc:[a-z]+://\\S+");
            case "host:port list" -> value.matches("[^\\s,:/]+:\\d+(,[^\\s,:/]+:\\d+)*");
            default -> true;
        };
    }

    static List<String> misshapen(String target, Map<String, String> values) {
        List<String> findings = new ArrayList<>();
        values.forEach((name, value) -> {
            ServiceSettings.Setting setting = CONTRACT.get(name);
            // an empty value leaves the setting unset (the ConfigMaps list optional vendors that way)
            if (setting != null && !value.isEmpty() && !fits(setting.shape(), value)) {
                findings.add(target + " sets " + name + "=" + value + ", not a " + setting.shape());
            }
        });
        return findings;
    }

    @Test
    void everyValueATargetWritesDownHasTheShapeItsSettingDeclares() {
        assertThat(CONTRACT.values()).allSatisfy(setting ->
                assertThat(setting.shape()).matches(SHAPES));
        List<String> findings = new ArrayList<>();
        findings.addAll(misshapen("compose", composeValues()));
        DeployTargets.configMaps().forEach((file, data) -> findings.addAll(misshapen(file, data)));
        findings.addAll(misshapen("terraform", terraformLiterals()));
        assertThat(findings).isEmpty();
        assertThat(composeValues()).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "PROCESSORS_SESSION_TIMEOUT_MS",
                "REALTIME_WS_URL");
        assertThat(terraformLiterals()).containsKeys("KAFKA_REPLICATION_FACTOR", "REALTIME_WS_URL");

        // and a broker list without ports, a timeout with a unit where milliseconds are counted and a base URL
        // without a scheme are found
        assertThat(misshapen("fixture", Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka",
                "PROCESSORS_SESSION_TIMEOUT_MS", "3s", "WEBHOOK_API_BASE_URL", "voice.example.com",
                "WEBHOOK_SESSION_TIMEOUT", "45s", "EDGE_TWILIO_ENABLED", "false"))).hasSize(3);
    }

    /** Compose's literal values and the defaults of its {@code ${VAR:-default}} references. */
    private static Map<String, String> composeValues() {
        Map<String, String> values = new LinkedHashMap<>();
        DeployTargets.composeEnvironment().forEach((name, value) -> {
            Matcher reference = COMPOSE_DEFAULT.matcher(value);
            String literal = reference.matches() ? reference.group(1) : value.contains("${") ? "" : value;
            if (!literal.isEmpty()) {
                values.put(name, literal);
            }
        });
        return values;
    }

    /** Terraform's quoted values, each interpolation standing in as a plain word. */
    private static Map<String, String> terraformLiterals() {
        Map<String, String> values = new LinkedHashMap<>();
        DeployTargets.terraformEnvironment().forEach((name, value) -> {
            if (value.matches("\"[^\"]*\"")) {
                values.put(name, value.substring(1, value.length() - 1).replaceAll("\\$\\{[^}]*}", "x"));
            }
        });
        return values;
    }
}
