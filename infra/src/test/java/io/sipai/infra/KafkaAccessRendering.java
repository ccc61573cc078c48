package io.sipai.infra;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.sipai.infra.KafkaGrants.Grant;
import io.sipai.schemas.KafkaAccess;
import io.sipai.schemas.TopicOwnership;

/**
 * Renders the ownership table ({@link TopicOwnership}) as the deployment's access rules: one MSK IAM policy
 * template per principal ({@code infra/terraform/modules/sipai/kafka-policies/<principal>.json.tftpl}, filled in by
 * Terraform's {@code templatefile} with the cluster's ARN prefixes) and the Kafka ACL script for self-managed
 * clusters ({@code infra/kafka/kafka-acls.sh}). Both are committed; {@link KafkaLeastPrivilegeTest} fails when they
 * differ from this rendering and rewrites them with {@code -Dsipai.infra.write=true}.
 */
final class KafkaAccessRendering {

    /** Kafka ACL operation and resource options for each MSK IAM action (Connect has no ACL). */
    private static final Map<String, String> ACL_OPERATIONS = Map.ofEntries(
            Map.entry(KafkaGrants.DESCRIBE_CLUSTER, "Describe"),
            Map.entry(KafkaGrants.WRITE_IDEMPOTENTLY, "IdempotentWrite"),
            Map.entry(KafkaGrants.DESCRIBE_TOPIC, "Describe"),
            Map.entry(KafkaGrants.CREATE_TOPIC, "Create"),
            Map.entry(KafkaGrants.READ, "Read"),
            Map.entry(KafkaGrants.WRITE, "Write"),
            Map.entry(KafkaGrants.DESCRIBE_TOPIC_CONFIG, "DescribeConfigs"),
            Map.entry(KafkaGrants.DELETE_TOPIC, "Delete"),
            Map.entry(KafkaGrants.DESCRIBE_GROUP, "Describe"),
            Map.entry(KafkaGrants.ALTER_GROUP, "Read"),
            Map.entry(KafkaGrants.DESCRIBE_TRANSACTIONAL_ID, "Describe"),
            Map.entry(KafkaGrants.ALTER_TRANSACTIONAL_ID, "Write"));

    private static final String ACL_HEADER = """
            #!/usr/bin/env bash
            # Kafka ACLs of sipai's principals, for a self-managed cluster with an authorizer (MSK with IAM uses
            # the Terraform policies instead; the one-machine run has no authorizer and needs none of this).
            # Generated from io.sipai.schemas.TopicOwnership: do not edit, run
            #   ./mvnw -pl schemas,infra verify -Dtest=KafkaLeastPrivilegeTest -Dsipai.infra.write=true
            # Usage: KAFKA_BOOTSTRAP_SERVERS=host:9093 [KAFKA_ACLS_COMMAND_CONFIG=admin.properties] \\
            #        [SIPAI_PRINCIPAL_PREFIX=User:] infra/kafka/kafka-acls.sh [--dry-run]
            # Principal of a service: ${SIPAI_PRINCIPAL_PREFIX:-User:}<service>, e.g. User:realtime-edge.
            set -euo pipefail

            bootstrap="${KAFKA_BOOTSTRAP_SERVERS:?set KAFKA_BOOTSTRAP_SERVERS}"
            prefix="${SIPAI_PRINCIPAL_PREFIX:-User:}"
            command=(kafka-acls.sh --bootstrap-server "$bootstrap")
            if [[ -n "${KAFKA_ACLS_COMMAND_CONFIG:-}" ]]; then
              command+=(--command-config "$KAFKA_ACLS_COMMAND_CONFIG")
            fi
            dry_run=false
            if [[ "${1:-}" == "--dry-run" ]]; then
              dry_run=true
            fi

            allow() {
              local principal="$1"
              shift
              if [[ "$dry_run" == true ]]; then
                echo "${command[*]} --add --allow-principal ${prefix}${principal} $*"
              else
                "${command[@]}" --add --allow-principal "${prefix}${principal}" "$@"
              fi
            }
            """;

    private KafkaAccessRendering() {
    }

    /** The IAM policy template of {@code access}: every grant the table gives it, grouped into statements. */
    static String policyTemplate(KafkaAccess access) {
        StringBuilder json = new StringBuilder("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
        List<Map.Entry<String, Map.Entry<Set<String>, Set<String>>>> statements =
                List.copyOf(KafkaGrants.statements(KafkaGrants.expected(access)).entrySet());
        for (int i = 0; i < statements.size(); i++) {
            var statement = statements.get(i);
            json.append("    {\n      \"Sid\": \"").append(statement.getKey()).append("\",\n")
                    .append("      \"Effect\": \"Allow\",\n")
                    .append("      \"Action\": ").append(list(statement.getValue().getKey())).append(",\n")
                    .append("      \"Resource\": ").append(list(statement.getValue().getValue())).append("\n")
                    .append(i + 1 < statements.size() ? "    },\n" : "    }\n");
        }
        return json.append("  ]\n}\n").toString();
    }

    /** The ACL script: one kafka-acls.sh call per principal and resource, the same grants as the IAM policies. */
    static String aclScript() {
        StringBuilder script = new StringBuilder(ACL_HEADER);
        for (KafkaAccess access : TopicOwnership.ALL) {
            script.append("\n# ").append(access.principal()).append('\n');
            Map<String, Set<String>> operations = new java.util.TreeMap<>();
            for (Grant grant : KafkaGrants.expected(access)) {
                String operation = ACL_OPERATIONS.get(grant.action());
                if (operation != null) {
                    operations.computeIfAbsent(aclResource(grant.resource()), r -> new java.util.TreeSet<>())
                            .add(operation);
                }
            }
            operations.forEach((resource, ops) -> script.append("allow ").append(access.principal()).append(' ')
                    .append(resource).append(ops.stream().map(o -> " --operation " + o).collect(Collectors.joining()))
                    .append('\n'));
        }
        return script.toString();
    }

    private static String aclResource(String resource) {
        if (resource.equals(KafkaGrants.CLUSTER)) {
            return "--cluster";
        }
        String option = resource.startsWith(KafkaGrants.TOPIC) ? "--topic"
                : resource.startsWith(KafkaGrants.GROUP) ? "--group" : "--transactional-id";
        String name = resource.substring(resource.indexOf('/') + 1);
        return name.endsWith("*") ? "--resource-pattern-type prefixed " + option + " " + name.substring(0,
                name.length() - 1) : option + " " + name;
    }

    private static String list(Set<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }
}
