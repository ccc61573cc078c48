package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.sipai.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Kubernetes manifests (kustomize base and overlays) read into fabric8's typed Kubernetes model, then
 * checked for probes, resources, security context, drain and disruption settings.
 */
class KubernetesManifestsTest {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "ServiceAccount", ServiceAccount.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "Ingress", Ingress.class,
            "Job", Job.class);
    private static final Set<String> SERVICES = Set.of("api-gateway", "realtime-edge", "webhook-dispatcher", "stream-processors");
    private static final int PRE_STOP_SECONDS = 10;

    private static Path k8s() {
        return Repo.infra().resolve("k8s");
    }

    /** Parses a multi-document YAML stream into typed objects; unknown kinds or fields are findings. */
    static List<HasMetadata> parse(String yaml, List<String> findings) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isEmpty()) {
                    continue;
                }
                String kind = doc.path("kind").asString();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    findings.add("unexpected kind " + kind);
                    continue;
                }
                HasMetadata object = YAML.treeToValue(doc, type);
                unknownFields(object, kind + "/" + object.getMetadata().getName(), findings, new IdentityHashMap<>());
                objects.add(object);
            }
        }
        return objects;
    }

    /** fabric8 keeps fields it does not know in additionalProperties: a typo such as readinesProbe lands there. */
    private static void unknownFields(Object node, String path, List<String> findings, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            c.forEach(item -> unknownFields(item, path, findings, seen));
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.values().forEach(v -> unknownFields(v, path, findings, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = method.invoke(node);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        findings.add(path + ": unknown field(s) " + extra.keySet() + " in "
                                + node.getClass().getSimpleName());
                    }
                } else if (!(node instanceof io.fabric8.kubernetes.api.model.Quantity)
                        && !(node instanceof io.fabric8.kubernetes.api.model.IntOrString)) {
                    unknownFields(value, path, findings, seen);
                }
            } catch (ReflectiveOperationException e) {
                findings.add(path + ": cannot read " + method.getName() + ": " + e);
            }
        }
    }

    /** Every rule a rendered set of manifests must satisfy. */
    static List<String> check(List<HasMetadata> objects) {
        List<String> findings = new ArrayList<>();
        List<Deployment> deployments = of(objects, Deployment.class);
        List<PodDisruptionBudget> pdbs = of(objects, PodDisruptionBudget.class);
        for (Deployment d : deployments) {
            String name = d.getMetadata().getName();
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            checkPod(name, pod, true, findings);
            if (d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null
                    || !"0".equals(String.valueOf(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getValue()))) {
                findings.add(name + ": rolling update must keep maxUnavailable 0");
            }
            if (pod.getAffinity() == null || pod.getAffinity().getPodAntiAffinity() == null) {
                findings.add(name + ": no pod anti-affinity");
            }
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            boolean covered = pdbs.stream().anyMatch(p -> labels.entrySet()
                    .containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()));
            if (!covered) {
                findings.add(name + ": no PodDisruptionBudget selects its pods");
            }
            Container c = pod.getContainers().get(0);
            int drain = env(c, "DRAIN_TIMEOUT_SEC").map(Integer::parseInt).orElse(30);
            long grace = pod.getTerminationGracePeriodSeconds() == null ? 30 : pod.getTerminationGracePeriodSeconds();
            if (grace < PRE_STOP_SECONDS + drain + 10) {
                findings.add(name + ": terminationGracePeriodSeconds " + grace + " does not cover preStop "
                        + PRE_STOP_SECONDS + " s + DRAIN_TIMEOUT_SEC " + drain + " s + 10 s margin");
            }
        }
        for (Job job : of(objects, Job.class)) {
            checkPod(job.getMetadata().getName(), job.getSpec().getTemplate().getSpec(), false, findings);
        }
        for (Secret secret : of(objects, Secret.class)) {
            if ((secret.getData() != null && !secret.getData().isEmpty())
                    || (secret.getStringData() != null && !secret.getStringData().isEmpty())) {
                findings.add("Secret " + secret.getMetadata().getName() + " carries values in the manifests");
            }
        }
        for (ConfigMap cm : of(objects, ConfigMap.class)) {
            cm.getData().keySet().stream()
                    .filter(k -> k.matches(".*(SECRET|TOKEN|PASSWORD|API_KEY).*"))
                    .forEach(k -> findings.add("ConfigMap " + cm.getMetadata().getName() + " holds secret-like key " + k));
        }
        return findings;
    }

    private static void checkPod(String name, PodSpec pod, boolean service, List<String> findings) {
        if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            findings.add(name + ": pod securityContext.runAsNonRoot must be true");
        }
        boolean tmp = pod.getVolumes() != null && pod.getVolumes().stream()
                .anyMatch(v -> "tmp".equals(v.getName()) && v.getEmptyDir() != null);
        for (Container c : pod.getContainers()) {
            String where = name + "/" + c.getName();
            var sc = c.getSecurityContext();
            if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                findings.add(where + ": readOnlyRootFilesystem must be true");
            }
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                findings.add(where + ": allowPrivilegeEscalation must be false");
            }
            if (sc != null && sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
                findings.add(where + ": runs as root");
            }
            boolean mountsTmp = c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                    .anyMatch(m -> "/tmp".equals(m.getMountPath()) && "tmp".equals(m.getName()));
            if (!tmp || !mountsTmp) {
                findings.add(where + ": needs an emptyDir volume mounted at /tmp");
            }
            var res = c.getResources();
            if (res == null || res.getLimits() == null || !res.getLimits().containsKey("memory")
                    || res.getRequests() == null || !res.getRequests().containsKey("cpu")
                    || !res.getRequests().containsKey("memory")) {
                findings.add(where + ": needs cpu and memory requests and a memory limit");
            }
            if (!service) {
                continue;
            }
            probe(where, "liveness", c.getLivenessProbe(), "/health", findings);
            probe(where, "readiness", c.getReadinessProbe(), "/health/ready", findings);
            probe(where, "startup", c.getStartupProbe(), "/health", findings);
            if (c.getLifecycle() == null || c.getLifecycle().getPreStop() == null
                    || c.getLifecycle().getPreStop().getExec() == null
                    || !c.getLifecycle().getPreStop().getExec().getCommand().equals(List.of("sleep", String.valueOf(PRE_STOP_SECONDS)))) {
                findings.add(where + ": preStop must sleep " + PRE_STOP_SECONDS + " s so endpoints drop it before SIGTERM");
            }
        }
    }

    private static void probe(String where, String kind, Probe probe, String path, List<String> findings) {
        if (probe == null || probe.getHttpGet() == null || !path.equals(probe.getHttpGet().getPath())) {
            findings.add(where + ": " + kind + " probe must GET " + path);
        }
    }

    private static java.util.Optional<String> env(Container c, String name) {
        return c.getEnv() == null ? java.util.Optional.empty()
                : c.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst();
    }

    static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static Stream<String> overlays() {
        return Stream.of("staging", "prod");
    }

    private static List<HasMetadata> render(String overlay, List<String> findings) {
        Repo.Result result = Repo.run(k8s(), List.of("kubectl", "kustomize", "overlays/" + overlay));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return parse(result.output(), findings);
    }

    private static List<HasMetadata> base(List<String> findings) {
        List<HasMetadata> all = new ArrayList<>();
        for (Path p : Repo.files(k8s().resolve("base"), p -> p.toString().endsWith(".yaml")
                && !p.getFileName().toString().equals("kustomization.yaml"))) {
            all.addAll(parse(Repo.read(p), findings));
        }
        return all;
    }

    @Test
    void baseManifestsParseIntoTheTypedModelAndSatisfyEveryRule() {
        List<String> findings = new ArrayList<>();
        List<HasMetadata> objects = base(findings);

        findings.addAll(check(objects));

        assertThat(findings).isEmpty();
        assertThat(of(objects, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(of(objects, Job.class)).singleElement()
                .satisfies(j -> assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                        .containsExactly("create-topics"));
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void renderedOverlaySatisfiesEveryRule(String overlay) {
        Tools.require("kubectl", "kubectl is not installed: overlays not rendered (the base is still checked)");
        List<String> findings = new ArrayList<>();
        List<HasMetadata> objects = render(overlay, findings);

        findings.addAll(check(objects));

        assertThat(findings).isEmpty();
        Deployment edge = of(objects, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals("realtime-edge")).findFirst().orElseThrow();
        assertThat(edge.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(of(objects, ConfigMap.class).get(0).getData().get("REALTIME_WS_URL")).startsWith("wss://");
    }

    @Test
    void realtimeEdgeScalesDownSlowly() {
        List<String> findings = new ArrayList<>();
        HorizontalPodAutoscaler hpa = of(base(findings), HorizontalPodAutoscaler.class).stream()
                .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("realtime-edge")).findFirst().orElseThrow();

        HPAScalingRules down = hpa.getSpec().getBehavior().getScaleDown();

        assertThat(down.getStabilizationWindowSeconds()).isGreaterThanOrEqualTo(600);
        assertThat(down.getPolicies()).allSatisfy(p -> {
            assertThat(p.getType()).isEqualTo("Pods");
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getPeriodSeconds()).isGreaterThanOrEqualTo(300);
        });
    }

    @Test
    void realtimeIngressKeepsWebSocketsOpenAndSpreadsConnectionsOverThePods() {
        List<String> findings = new ArrayList<>();
        Ingress realtime = of(base(findings), Ingress.class).stream()
                .filter(i -> i.getMetadata().getName().equals("sipai-realtime")).findFirst().orElseThrow();
        Map<String, String> annotations = realtime.getMetadata().getAnnotations();

        assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout"))).isGreaterThanOrEqualTo(900);
        assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout"))).isGreaterThanOrEqualTo(900);
        // Media URLs of Twilio streams and sipai's own protocol carry no callId: hashing by it sent every
        // connection to one pod.
        assertThat(annotations).doesNotContainKey("nginx.ingress.kubernetes.io/upstream-hash-by");
        assertThat(annotations.get("nginx.ingress.kubernetes.io/load-balance")).isEqualTo("round_robin");
        assertThat(realtime.getSpec().getRules().get(0).getHttp().getPaths())
                .allSatisfy(p -> assertThat(p.getBackend().getService().getName()).isEqualTo("realtime-edge"))
                .extracting(p -> p.getPath())
                .contains("/realtime/", "/v1/realtime/", "/telephony/twilio/stream", "/telephony/jambonz/listen");
    }

    @Test
    void givenADeploymentRunningAsRootWithoutProbesAndAMisspelledField_whenChecked_thenEachIsReported() {
        List<String> findings = new ArrayList<>();
        List<HasMetadata> objects = parse(Repo.read(Repo.fixture("k8s/bad-deployment.yaml")), findings);

        findings.addAll(check(objects));

        assertThat(findings).anyMatch(f -> f.contains("unknown field(s) [readinesProbe]"))
                .anyMatch(f -> f.contains("runAsNonRoot must be true"))
                .anyMatch(f -> f.contains("readOnlyRootFilesystem must be true"))
                .anyMatch(f -> f.contains("liveness probe must GET /health"))
                .anyMatch(f -> f.contains("startup probe must GET /health"))
                .anyMatch(f -> f.contains("needs cpu and memory requests and a memory limit"))
                .anyMatch(f -> f.contains("no PodDisruptionBudget"))
                .anyMatch(f -> f.contains("does not cover preStop"))
                .anyMatch(f -> f.contains("carries values in the manifests"));
    }
}
