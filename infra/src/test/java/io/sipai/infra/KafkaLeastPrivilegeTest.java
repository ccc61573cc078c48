package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sipai.infra.KafkaGrants.Grant;
import io.sipai.schemas.KafkaAccess;
import io.sipai.schemas.TopicOwnership;
import io.sipai.schemas.Topics;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Least privilege on Kafka: each principal's IAM policy template and Kafka ACLs give it exactly what the ownership
 * table in {@code schemas} ({@link TopicOwnership}) says, no wildcard beyond its Streams applications' own prefixes,
 * and no read of a topic carrying secrets outside the gateway and the dispatcher. Run with
 * {@code -Dsipai.infra.write=true} to rewrite the rendered files after changing the table.
 */
class KafkaLeastPrivilegeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final boolean WRITE = Boolean.getBoolean("sipai.infra.write");

    private static Path policies() {
        return Repo.infra().resolve("terraform/modules/sipai/kafka-policies");
    }

    private static Path template(String principal) {
        return policies().resolve(principal + ".json.tftpl");
    }

    private static Path aclScript() {
        return Repo.infra().resolve("kafka/kafka-acls.sh");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String policy) {
        return JSON.readValue(policy, Map.class);
    }

    @Test
    void theCommittedPolicyTemplatesAndAclScriptAreTheRenderingOfTheOwnershipTable() throws IOException {
        if (WRITE) {
            Files.createDirectories(policies());
            for (KafkaAccess access : TopicOwnership.ALL) {
                Files.writeString(template(access.principal()), KafkaAccessRendering.policyTemplate(access),
                        StandardCharsets.UTF_8);
            }
            Files.createDirectories(aclScript().getParent());
            Files.writeString(aclScript(), KafkaAccessRendering.aclScript(), StandardCharsets.UTF_8);
            aclScript().toFile().setExecutable(true, false);
        }
        Set<String> principals = TopicOwnership.ALL.stream().map(KafkaAccess::principal).collect(Collectors.toSet());
        Set<String> templates = Repo.files(policies(), p -> p.toString().endsWith(".json.tftpl")).stream()
                .map(p -> p.getFileName().toString().replace(".json.tftpl", "")).collect(Collectors.toSet());

        assertThat(templates).isEqualTo(principals);
        for (KafkaAccess access : TopicOwnership.ALL) {
            assertThat(Repo.read(template(access.principal()))).as(access.principal())
                    .isEqualTo(KafkaAccessRendering.policyTemplate(access));
        }
        assertThat(Repo.read(aclScript())).isEqualTo(KafkaAccessRendering.aclScript());
        assertThat(Files.isExecutable(aclScript())).as("kafka-acls.sh is executable").isTrue();
    }

    @Test
    void everyPrincipalsPolicyGrantsExactlyWhatTheOwnershipTableSays() {
        List<String> findings = new ArrayList<>();
        for (KafkaAccess access : TopicOwnership.ALL) {
            findings.addAll(KafkaGrants.findings(access, parse(Repo.read(template(access.principal())))));
        }

        assertThat(findings).isEmpty();
    }

    @Test
    void realtimeEdgeCanNeitherReadSubscriptionsNorWriteWhatItDoesNotProduce() {
        Set<Grant> edge = KafkaGrants.granted(parse(Repo.read(template("realtime-edge"))), new ArrayList<>());

        assertThat(KafkaGrants.allows(edge, KafkaGrants.READ, KafkaGrants.TOPIC + Topics.WEBHOOK_SUBSCRIPTIONS.name()))
                .isFalse();
        assertThat(KafkaGrants.allows(edge, KafkaGrants.DESCRIBE_TOPIC,
                KafkaGrants.TOPIC + Topics.WEBHOOK_SUBSCRIPTIONS.name())).isFalse();
        Set<String> written = Topics.ALL.stream().map(t -> t.name())
                .filter(t -> KafkaGrants.allows(edge, KafkaGrants.WRITE, KafkaGrants.TOPIC + t))
                .collect(Collectors.toSet());
        assertThat(written).containsExactlyInAnyOrder(Topics.CALL_EVENTS.name(), Topics.CALL_ADMISSION.name(),
                Topics.SERVICE_HEALTH.name());
        assertThat(edge).noneMatch(g -> g.resource().startsWith(KafkaGrants.GROUP)
                || g.resource().startsWith(KafkaGrants.TRANSACTIONAL_ID));
    }

    @Test
    void givenAPolicyWithAWildcardTopic_whenChecked_thenTheGrantAndTheWildcardAreReported() {
        Map<String, Object> policy = withStatement(TopicOwnership.REALTIME_EDGE, Map.of("Sid", "Everything",
                "Effect", "Allow", "Action", List.of(KafkaGrants.READ), "Resource", List.of("${topic}/*")));

        List<String> findings = KafkaGrants.findings(TopicOwnership.REALTIME_EDGE, policy);

        assertThat(findings).anyMatch(f -> f.contains("is granted kafka-cluster:ReadData on ${topic}/*"))
                .anyMatch(f -> f.contains("realtime-edge can read webhook.subscriptions.v1"));
    }

    @Test
    void givenAPolicyGrantingOneTopicMore_whenChecked_thenTheExtraGrantIsReported() {
        Map<String, Object> policy = withStatement(TopicOwnership.REALTIME_EDGE, Map.of("Sid", "Extra",
                "Effect", "Allow", "Action", List.of(KafkaGrants.WRITE),
                "Resource", List.of("${topic}/" + Topics.WEBHOOK_ATTEMPTS.name())));

        assertThat(KafkaGrants.findings(TopicOwnership.REALTIME_EDGE, policy)).containsExactly(
                "realtime-edge is granted kafka-cluster:WriteData on ${topic}/webhook.attempts.v1, which the "
                        + "ownership table does not give it");
    }

    @Test
    void givenAPolicyMissingAGrantOrWithAnUnknownStatementShape_whenChecked_thenBothAreReported() {
        Map<String, Object> policy = parse(KafkaAccessRendering.policyTemplate(TopicOwnership.API_GATEWAY));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) policy.get("Statement");
        statements.removeIf(s -> "Groups".equals(s.get("Sid")));
        statements.add(Map.of("Sid", "Conditional", "Effect", "Allow", "Action", List.of(KafkaGrants.CONNECT),
                "Resource", List.of("*"), "Condition", Map.of()));

        List<String> findings = KafkaGrants.findings(TopicOwnership.API_GATEWAY, policy);

        assertThat(findings).anyMatch(f -> f.equals("api-gateway lacks kafka-cluster:AlterGroup on "
                        + "${group}/api-gateway-projection, which the ownership table gives it"))
                .anyMatch(f -> f.startsWith("Conditional: only Sid, Effect, Action and Resource are allowed"))
                .anyMatch(f -> f.startsWith("Conditional: resource * is not ${cluster}"));
    }

    @Test
    void terraformAttachesEachPrincipalsTemplateAndGrantsKafkaAccessNowhereElse() {
        String sipai = Repo.read(Repo.infra().resolve("terraform/modules/sipai/main.tf"));
        List<Path> grantingKafka = Repo.files(Repo.infra().resolve("terraform"), p -> p.toString().endsWith(".tf"))
                .stream().filter(p -> Repo.read(p).contains("kafka-cluster:")).toList();

        assertThat(grantingKafka).as("Terraform files granting kafka-cluster actions outside the templates").isEmpty();
        assertThat(sipai).contains("task_policy_json          = templatefile(format(\"%s/kafka-policies/%s.json.tftpl\", "
                        + "path.module, each.key), local.kafka_arns)")
                .contains("policy = templatefile(\"${path.module}/kafka-policies/topic-init.json.tftpl\", local.kafka_arns)");
        for (KafkaAccess access : TopicOwnership.ALL) {
            if (!access.principal().equals("topic-init")) {
                assertThat(sipai).contains("\"" + access.principal() + "\" = {");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withStatement(KafkaAccess access, Map<String, Object> statement) {
        Map<String, Object> policy = parse(KafkaAccessRendering.policyTemplate(access));
        ((List<Object>) policy.get("Statement")).add(statement);
        return policy;
    }
}
