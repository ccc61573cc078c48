package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.sipai.schemas.KafkaAccess;
import io.sipai.schemas.TopicOwnership;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every deploy target (compose, the Kubernetes base and overlays, the Terraform ECS services, the deploy workflow)
 * against what the services read ({@link ServiceSettings}): no setting that no service reads, the per-call token
 * secret wherever a service needs it, {@code REALTIME_WS_URL} as the base URL api-gateway appends paths to, every
 * public path of realtime-edge routed to realtime-edge, and alarms and scaling on consumer groups and metrics that
 * exist. Each check also runs on a known-bad input, so a check that cannot fail fails.
 */
class DeployTargetsTest {

    private static final Map<String, Set<String>> READS = ServiceSettings.read();
    private static final Pattern BASE_URL = Pattern.compile("wss?://[^/\\s\"]+/?");
    private static final Pattern EDGE_PATH = Pattern.compile("\"(/(?:v1/)?realtime/[a-z/]+|/telephony/[a-z/]+)\"");
    private static final Pattern GAUGE = Pattern.compile("\\.gauge\\(\"([a-z0-9.]+)\"");
    private static final Pattern ROUTE = Pattern.compile(
            "priority\\s*=\\s*(\\d+)\\s*paths\\s*=\\s*\\[([^]]*)]\\s*target\\s*=\\s*\"([a-z-]+)\"");

    // ---- no setting that no service reads

    static List<String> unread(String target, Set<String> given, Set<String> readers) {
        return given.stream().filter(name -> !readers.contains(name))
                .map(name -> target + " sets " + name + ", which no service it runs reads").toList();
    }

    @Test
    void everyTargetSetsOnlySettingsThatAServiceReads() {
        Set<String> any = ServiceSettings.readByAny(READS);
        List<String> findings = new ArrayList<>();
        findings.addAll(unread("compose", DeployTargets.composeEnvironment().keySet(), any));
        DeployTargets.configMaps().forEach((file, data) -> findings.addAll(unread(file, data.keySet(), any)));
        findings.addAll(unread("k8s secret sipai-secrets", DeployTargets.kubernetesSecretNames(), any));
        findings.addAll(unread("terraform sipai environment", DeployTargets.terraformEnvironment().keySet(), any));
        DeployTargets.terraformSecrets().forEach((service, names) ->
                findings.addAll(unread("terraform secrets of " + service, names, READS.get(service))));
        findings.addAll(unread("deploy workflow", DeployTargets.workflowEnvironment(), any));
        assertThat(findings).isEmpty();

        // and a target setting what nothing reads is found
        assertThat(unread("fixture", Set.of("JWT_SECRET", "LOG_LEVEL"), any)).singleElement().asString()
                .contains("JWT_SECRET");
    }

    // ---- secrets only from a secret store

    static List<String> plainSecrets(String target, Map<String, String> plain) {
        return plain.entrySet().stream().filter(e -> ServiceSettings.isSecret(e.getKey()))
                .filter(e -> !e.getValue().startsWith("${"))
                .map(e -> target + " holds " + e.getKey() + " in plain configuration").toList();
    }

    @Test
    void secretsComeOnlyFromASecretStore() {
        List<String> findings = new ArrayList<>();
        findings.addAll(plainSecrets("compose (a ${VAR} reference to .env is the store there)",
                DeployTargets.composeEnvironment()));
        DeployTargets.configMaps().forEach((file, data) -> findings.addAll(plainSecrets(file, data)));
        findings.addAll(plainSecrets("terraform environment", DeployTargets.terraformEnvironment().entrySet().stream()
                .filter(e -> !e.getValue().contains("_secret_arn"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
        Map<String, String> workflow = new LinkedHashMap<>();
        DeployTargets.workflowEnvironment().forEach(name -> workflow.put(name, "literal"));
        findings.addAll(plainSecrets("deploy workflow", workflow));
        assertThat(findings).isEmpty();

        // and a password in a ConfigMap is found
        assertThat(plainSecrets("fixture", Map.of("DB_PASSWORD", "hunter2", "DB_USER", "sipai"))).hasSize(1);
    }

    // ---- the per-call media token secret

    @Test
    void theTelephonyTokenSecretReachesEveryServiceThatChecksOrMintsTokens() {
        Set<String> needing = READS.entrySet().stream().filter(e -> e.getValue().contains("TELEPHONY_TOKEN_SECRET"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertThat(needing).containsExactly("api-gateway", "realtime-edge");

        assertThat(DeployTargets.composeEnvironment()).containsKey("TELEPHONY_TOKEN_SECRET");
        assertThat(DeployTargets.kubernetesSecretNames()).contains("TELEPHONY_TOKEN_SECRET");
        Map<String, Set<String>> secrets = DeployTargets.terraformSecrets();
        assertThat(missingSecret(secrets, needing, "TELEPHONY_TOKEN_SECRET")).isEmpty();

        // and a service left without it is found
        Map<String, Set<String>> bad = new LinkedHashMap<>(secrets);
        bad.put("realtime-edge", Set.of("DEEPGRAM_API_KEY"));
        assertThat(missingSecret(bad, needing, "TELEPHONY_TOKEN_SECRET")).containsExactly("realtime-edge");
    }

    static List<String> missingSecret(Map<String, Set<String>> secrets, Set<String> needing, String name) {
        return needing.stream().filter(s -> !secrets.getOrDefault(s, Set.of()).contains(name)).toList();
    }

    // ---- REALTIME_WS_URL is a base URL

    static boolean isBaseUrl(String value) {
        return BASE_URL.matcher(value).matches();
    }

    @Test
    void realtimeWsUrlIsTheEdgesBaseUrlInEveryTarget() {
        List<String> values = new ArrayList<>();
        values.add(DeployTargets.composeEnvironment().get("REALTIME_WS_URL")
                .replaceAll("^\\$\\{[A-Z_]+:-(.*)}$", "$1"));
        DeployTargets.configMaps().values().forEach(data -> {
            if (data.containsKey("REALTIME_WS_URL")) {
                values.add(data.get("REALTIME_WS_URL"));
            }
        });
        values.add(unquote(DeployTargets.terraformEnvironment().get("REALTIME_WS_URL")));
        assertThat(values).hasSizeGreaterThanOrEqualTo(5).allSatisfy(value ->
                assertThat(isBaseUrl(value)).as(value + " (api-gateway appends /telephony/...)").isTrue());

        // and the endpoint path that broke phone media is refused
        assertThat(isBaseUrl("wss://voice.example.com/realtime/voice")).isFalse();
    }

    // ---- routing of the edge's public paths

    static String albTarget(List<String[]> routes, String path) {
        return routes.stream().sorted(Comparator.comparingInt(r -> Integer.parseInt(r[0])))
                .filter(r -> List.of(r[1].split(",")).stream().map(p -> p.strip().replace("\"", ""))
                        .anyMatch(pattern -> path.matches(pattern.replace("*", ".*"))))
                .map(r -> r[2]).findFirst().orElse("none");
    }

    @Test
    void everyPublicPathOfTheEdgeIsRoutedToTheEdgeByTheLoadBalancerAndTheIngress() {
        Set<String> edgePaths = edgePaths();
        assertThat(edgePaths).contains("/realtime/voice", "/telephony/twilio/stream", "/telephony/jambonz/listen",
                "/telephony/jambonz/transfer/x");
        List<String[]> routes = albRoutes();
        Map<String, String> ingress = ingressPrefixes();
        for (String path : edgePaths) {
            assertThat(albTarget(routes, path)).as("ALB " + path).isEqualTo("realtime-edge");
            assertThat(ingressTarget(ingress, path)).as("ingress " + path).isEqualTo("realtime-edge");
        }
        assertThat(albTarget(routes, "/telephony/twilio/voice")).isEqualTo("api-gateway");

        // and a route list without the transfer hook sends it to api-gateway
        List<String[]> old = routes.stream().map(r -> new String[] {r[0], r[1].replace(
                ", \"/telephony/jambonz/transfer/*\"", ""), r[2]}).toList();
        assertThat(albTarget(old, "/telephony/jambonz/transfer/x")).isEqualTo("api-gateway");
    }

    static String ingressTarget(Map<String, String> prefixes, String path) {
        return prefixes.entrySet().stream().filter(e -> path.equals(e.getKey()) || e.getKey().endsWith("/")
                        && path.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue).orElse("none");
    }

    // ---- alarms and scaling watch names that exist

    static List<String> unknownLagAlarms(List<Map<String, Object>> alarms) {
        List<String> findings = new ArrayList<>();
        for (Map<String, Object> alarm : alarms) {
            String group = (String) alarm.get("consumer_group");
            String topic = (String) alarm.get("topic");
            boolean known = TopicOwnership.ALL.stream().anyMatch(access -> joins(access, group)
                    && access.reads().contains(topic));
            if (!known) {
                findings.add(group + " on " + topic);
            }
        }
        return findings;
    }

    private static boolean joins(KafkaAccess access, String group) {
        return access.groups().contains(group) || access.streamsAppIds().contains(group);
    }

    @Test
    @SuppressWarnings("unchecked")
    void lagAlarmsAndEdgeScalingWatchConsumerGroupsAndMetricsThatExist() {
        Map<String, Map<String, Object>> variables = TerraformConfigurationTest.load(DeployTargets.sipaiModule())
                .variables();
        List<Map<String, Object>> alarms = (List<Map<String, Object>>) variables.get("consumer_lag_alarms")
                .get("default");
        assertThat(alarms).isNotEmpty();
        assertThat(unknownLagAlarms(alarms)).isEmpty();
        assertThat(unknownLagAlarms(List.of(Map.of("consumer_group", "sipai-stream-processors",
                "topic", "call.events.v1")))).hasSize(1);

        String metric = (String) variables.get("active_calls_metric_name").get("default");
        Set<String> gauges = new TreeSet<>();
        for (Path file : Repo.files(Repo.root().resolve("realtime-edge/src/main"), p -> p.toString()
                .endsWith(".java"))) {
            Matcher matcher = GAUGE.matcher(Repo.read(file));
            while (matcher.find()) {
                gauges.add(matcher.group(1).replace('.', '_'));
            }
        }
        assertThat(gauges).as("Prometheus names of the edge's gauges").contains(metric)
                .doesNotContain("sipai_realtime_active_calls");
    }

    // ---- the targets, read

    private static Set<String> edgePaths() {
        Set<String> paths = new TreeSet<>();
        for (Path file : Repo.files(Repo.root().resolve("realtime-edge/src/main/java"), p -> p.toString()
                .endsWith(".java"))) {
            Matcher matcher = EDGE_PATH.matcher(Repo.read(file));
            while (matcher.find()) {
                String path = matcher.group(1);
                paths.add(path.endsWith("/") ? path + "x" : path);
            }
        }
        return paths;
    }

    private static List<String[]> albRoutes() {
        String main = Repo.read(DeployTargets.sipaiModule().resolve("main.tf"));
        List<String[]> routes = new ArrayList<>();
        Matcher matcher = ROUTE.matcher(main);
        while (matcher.find()) {
            routes.add(new String[] {matcher.group(1), matcher.group(2), matcher.group(3)});
        }
        assertThat(routes).as("ALB routes in modules/sipai/main.tf").hasSizeGreaterThanOrEqualTo(3);
        return routes;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> ingressPrefixes() {
        Map<String, String> prefixes = new LinkedHashMap<>();
        for (Object doc : new Yaml().loadAll(Repo.read(Repo.infra().resolve("k8s/base/ingress.yaml")))) {
            if (!(doc instanceof Map<?, ?> ingress) || !"Ingress".equals(ingress.get("kind"))) {
                continue;
            }
            Map<String, Object> spec = (Map<String, Object>) ingress.get("spec");
            for (Map<String, Object> rule : (List<Map<String, Object>>) spec.get("rules")) {
                Map<String, Object> http = (Map<String, Object>) rule.get("http");
                for (Map<String, Object> path : (List<Map<String, Object>>) http.get("paths")) {
                    Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) path.get("backend"))
                            .get("service");
                    prefixes.put((String) path.get("path"), (String) service.get("name"));
                }
            }
        }
        return prefixes;
    }

    private static String unquote(String value) {
        return value.replaceAll("^\"|\"$", "");
    }
}
