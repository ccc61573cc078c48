package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sipai.testing.Tools;
import io.sipai.testing.cluster.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What works here works in the deploy target: the environment the Kubernetes prod overlay gives the services
 * ({@code kubectl kustomize}: the ConfigMap, each container's own values and the secrets its comment tells operators
 * to create), with local endpoints in place of the cluster's (broker, database, public URLs, mounted paths), runs
 * the four services on a broker that requires SASL over TLS, and they answer a phone call placed as Twilio does.
 */
class RenderedConfigurationTest {

    private static final Pattern SECRET_NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
    /** Vendors this machine cannot reach: an operator without them drops their keys (docs/deploy.md). */
    private static final Set<String> ABSENT_VENDORS = Set.of("DEEPGRAM_API_KEY", "OPENAI_API_KEY");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;

    @Test
    void theProdOverlaysEnvironmentRunsThePlatformOnASecuredBrokerAndAnswersACall() throws Exception {
        // given the prod overlay's environment with this machine's endpoints
        Map<String, Integer> ports = new HashMap<>();
        Platform.SERVICES.forEach(name -> ports.put(name, FreePorts.next()));
        Map<String, String> environment = localEndpoints(rendered("prod"), ports);
        environment.put("SIPAI_KAFKA_SECURITY", "sasl_ssl");
        environment.put(StartupCache.SETTING, "off");
        PlatformConfig config = new PlatformConfig(Path.of("..").toAbsolutePath().normalize(), dataDir,
                FreePorts.next(), FreePorts.next(), FreePorts.next(), ports, environment);

        try (Platform platform = new Platform(config)) {
            // when the platform starts with it
            platform.prepareServices();
            platform.startInfrastructure();
            platform.startServices();

            // then every service is ready and a phone call is answered with the agent's greeting
            assertThat(platform.services()).hasSize(4).allMatch(ServiceProcess::ready);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CallSmoke call = new CallSmoke(URI.create("http://127.0.0.1:" + ports.get("api-gateway")),
                    environment.get("SIPAI_ADMIN_API_KEY"), environment.get("TWILIO_AUTH_TOKEN"),
                    Duration.ofSeconds(30));
            assertThat(call.run(new PrintStream(out, true, StandardCharsets.UTF_8))).as(out.toString(
                    StandardCharsets.UTF_8)).isZero();
        }
    }

    /** The variables the overlay gives the services: ConfigMap data, container values, the secrets to create. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> rendered(String overlay) throws Exception {
        Path k8s = Path.of("..", "infra", "k8s").toAbsolutePath().normalize();
        String yaml = kustomize(k8s.resolve("overlays").resolve(overlay));
        Map<String, String> environment = new TreeMap<>();
        for (Object doc : new Yaml().loadAll(yaml)) {
            if (!(doc instanceof Map<?, ?> object)) {
                continue;
            }
            if ("ConfigMap".equals(object.get("kind"))) {
                ((Map<String, Object>) object.get("data")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
            } else if ("Deployment".equals(object.get("kind"))) {
                Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                        object.get("spec")).get("template")).get("spec");
                for (Map<String, Object> container : (List<Map<String, Object>>) pod.get("containers")) {
                    for (Map<String, Object> env : (List<Map<String, Object>>) container.getOrDefault("env",
                            List.of())) {
                        if (env.get("value") != null) {
                            environment.put((String) env.get("name"), String.valueOf(env.get("value")));
                        }
                    }
                }
            }
        }
        String config = Files.readString(k8s.resolve("base/config.yaml"), StandardCharsets.UTF_8);
        Matcher names = SECRET_NAME.matcher(config.substring(config.indexOf("# Secrets are never committed"),
                config.indexOf("apiVersion", config.indexOf("# Secrets are never committed"))));
        while (names.find()) {
            String name = names.group();
            if (!ABSENT_VENDORS.contains(name) && !name.endsWith("_FILE") && !name.endsWith("_ACTIVE_KEY")) {
                environment.put(name, secretValue(name));
            }
        }
        return environment;
    }

    /** This machine's broker, database, public URLs and paths instead of the cluster's. */
    private static Map<String, String> localEndpoints(Map<String, String> rendered, Map<String, Integer> ports) {
        Map<String, String> local = new HashMap<>(rendered);
        local.keySet().removeIf(name -> name.startsWith("KAFKA_") || name.startsWith("DB_"));
        local.values().removeIf(value -> value.startsWith("/"));
        String gateway = "http://127.0.0.1:" + ports.get("api-gateway");
        local.put("REALTIME_WS_URL", "ws://127.0.0.1:" + ports.get("realtime-edge"));
        local.put("TELEPHONY_WEBHOOK_BASE_URL", gateway);
        local.put("WEBHOOK_API_BASE_URL", gateway);
        local.put("LOG_LEVEL", "WARN");
        assertThat(local).containsKeys("TELEPHONY_TOKEN_SECRET", "TWILIO_AUTH_TOKEN", "SIPAI_ADMIN_API_KEY",
                "PROCESSORS_SESSION_TIMEOUT_MS", "JAVA_TOOL_OPTIONS");
        return local;
    }

    private static String secretValue(String name) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return switch (name) {
            case "SIPAI_SECRETS_KEYS" -> "k1:" + Base64.getEncoder().encodeToString(bytes);
            case "TWILIO_ACCOUNT_SID" -> "AC" + HexFormat.of().formatHex(bytes, 0, 16);
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
    }

    private static String kustomize(Path overlay) throws Exception {
        Tools.require("kubectl", "kubectl renders the overlay: not installed");
        Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(errors).isZero();
        return yaml;
    }
}
