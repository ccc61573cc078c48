package io.sipai.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.sipai.schemas.KafkaAccess;
import io.sipai.schemas.TopicOwnership;

/**
 * The Kafka grants of one principal as a set of (MSK IAM action, resource) pairs: what the ownership table
 * ({@link TopicOwnership}) says a principal needs, what a rendered IAM policy template actually grants, and the
 * differences between the two. Resources are written as in the policy templates: {@code ${cluster}},
 * {@code ${topic}/<name>}, {@code ${group}/<name>}, {@code ${transactional_id}/<name>}, which Terraform replaces
 * with the cluster's ARN prefixes; a trailing {@code *} is a prefix (the only wildcard the table allows, for a
 * Streams application's internal topics and transactional ids).
 */
final class KafkaGrants {

    static final String CLUSTER = "${cluster}";
    static final String TOPIC = "${topic}/";
    static final String GROUP = "${group}/";
    static final String TRANSACTIONAL_ID = "${transactional_id}/";

    static final String CONNECT = "kafka-cluster:Connect";
    static final String DESCRIBE_CLUSTER = "kafka-cluster:DescribeCluster";
    static final String WRITE_IDEMPOTENTLY = "kafka-cluster:WriteDataIdempotently";
    static final String DESCRIBE_TOPIC = "kafka-cluster:DescribeTopic";
    static final String CREATE_TOPIC = "kafka-cluster:CreateTopic";
    static final String READ = "kafka-cluster:ReadData";
    static final String WRITE = "kafka-cluster:WriteData";
    static final String DESCRIBE_TOPIC_CONFIG = "kafka-cluster:DescribeTopicDynamicConfiguration";
    static final String DELETE_TOPIC = "kafka-cluster:DeleteTopic";
    static final String DESCRIBE_GROUP = "kafka-cluster:DescribeGroup";
    static final String ALTER_GROUP = "kafka-cluster:AlterGroup";
    static final String DESCRIBE_TRANSACTIONAL_ID = "kafka-cluster:DescribeTransactionalId";
    static final String ALTER_TRANSACTIONAL_ID = "kafka-cluster:AlterTransactionalId";

    /** What a Streams application does with its own internal topics (the purge of repartition topics deletes). */
    static final List<String> INTERNAL_TOPIC_ACTIONS = List.of(CREATE_TOPIC, DESCRIBE_TOPIC, DESCRIBE_TOPIC_CONFIG,
            READ, WRITE, DELETE_TOPIC);

    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Action", "Resource");
    private static final Pattern RESOURCE = Pattern.compile(
            "\\$\\{cluster}|\\$\\{(topic|group|transactional_id)}/[A-Za-z0-9._-]+\\*?");

    /** One granted action on one resource. */
    record Grant(String action, String resource) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant other) {
            int byResource = resource.compareTo(other.resource);
            return byResource != 0 ? byResource : action.compareTo(other.action);
        }
    }

    private KafkaGrants() {
    }

    /** Every grant the table gives {@code access}, nothing more. */
    static Set<Grant> expected(KafkaAccess access) {
        Set<Grant> grants = new TreeSet<>();
        grants.add(new Grant(CONNECT, CLUSTER));
        grants.add(new Grant(DESCRIBE_CLUSTER, CLUSTER));
        if (!access.writes().isEmpty() || !access.streamsAppIds().isEmpty()) {
            grants.add(new Grant(WRITE_IDEMPOTENTLY, CLUSTER));
        }
        access.describes().forEach(t -> grants.add(new Grant(DESCRIBE_TOPIC, TOPIC + t)));
        access.reads().forEach(t -> grants.add(new Grant(READ, TOPIC + t)));
        access.writes().forEach(t -> grants.add(new Grant(WRITE, TOPIC + t)));
        access.creates().forEach(t -> grants.add(new Grant(CREATE_TOPIC, TOPIC + t)));
        for (String app : access.streamsAppIds()) {
            INTERNAL_TOPIC_ACTIONS.forEach(a -> grants.add(new Grant(a, TOPIC + app + "-*")));
            grants.add(new Grant(DESCRIBE_TRANSACTIONAL_ID, TRANSACTIONAL_ID + app + "-*"));
            grants.add(new Grant(ALTER_TRANSACTIONAL_ID, TRANSACTIONAL_ID + app + "-*"));
        }
        for (String group : access.allGroups()) {
            grants.add(new Grant(DESCRIBE_GROUP, GROUP + group));
            grants.add(new Grant(ALTER_GROUP, GROUP + group));
        }
        return grants;
    }

    /** The grants of a parsed IAM policy document, and in {@code problems} every statement shape it refuses. */
    @SuppressWarnings("unchecked")
    static Set<Grant> granted(Map<String, Object> policy, List<String> problems) {
        Set<Grant> grants = new TreeSet<>();
        for (Object item : (List<Object>) policy.getOrDefault("Statement", List.of())) {
            Map<String, Object> statement = (Map<String, Object>) item;
            Object sid = statement.get("Sid");
            if (!STATEMENT_KEYS.containsAll(statement.keySet())) {
                problems.add(sid + ": only Sid, Effect, Action and Resource are allowed, found " + statement.keySet());
            }
            if (!"Allow".equals(statement.get("Effect"))) {
                problems.add(sid + ": Effect must be Allow");
            }
            for (String action : strings(statement.get("Action"))) {
                if (!action.startsWith("kafka-cluster:") || action.contains("*")) {
                    problems.add(sid + ": action " + action + " is not one named kafka-cluster action");
                }
                for (String resource : strings(statement.get("Resource"))) {
                    if (!RESOURCE.matcher(resource).matches()) {
                        problems.add(sid + ": resource " + resource + " is not ${cluster} or one named topic, group "
                                + "or transactional id under its placeholder");
                    }
                    grants.add(new Grant(action, resource));
                }
            }
        }
        return grants;
    }

    /** Everything {@code policy} grants beyond or short of the table's {@code access}, and bad statement shapes. */
    static List<String> findings(KafkaAccess access, Map<String, Object> policy) {
        List<String> findings = new ArrayList<>();
        Set<Grant> granted = granted(policy, findings);
        Set<Grant> expected = expected(access);
        for (Grant grant : granted) {
            if (!expected.contains(grant)) {
                findings.add(access.principal() + " is granted " + grant.action() + " on " + grant.resource()
                        + ", which the ownership table does not give it");
            }
        }
        for (Grant grant : expected) {
            if (!granted.contains(grant)) {
                findings.add(access.principal() + " lacks " + grant.action() + " on " + grant.resource()
                        + ", which the ownership table gives it");
            }
        }
        for (String topic : TopicOwnership.SECRET_TOPICS) {
            if (!TopicOwnership.SECRET_READERS.contains(access.principal()) && allows(granted, READ, TOPIC + topic)) {
                findings.add(access.principal() + " can read " + topic + ", which carries customers' secrets");
            }
        }
        return findings;
    }

    /** Whether {@code grants} allow {@code action} on the concrete {@code resource}, wildcards included. */
    static boolean allows(Set<Grant> grants, String action, String resource) {
        return grants.stream().anyMatch(g -> g.action().equals(action) && (g.resource().equals(resource)
                || g.resource().endsWith("*")
                && resource.startsWith(g.resource().substring(0, g.resource().length() - 1))));
    }

    /** The grants grouped into statements: one per resource kind and action set, in a stable order. */
    static Map<String, Map.Entry<Set<String>, Set<String>>> statements(Set<Grant> grants) {
        Map<String, Set<String>> actionsByResource = new LinkedHashMap<>();
        for (Grant grant : grants) {
            actionsByResource.computeIfAbsent(grant.resource(), r -> new TreeSet<>()).add(grant.action());
        }
        Map<String, Map.Entry<Set<String>, Set<String>>> statements = new java.util.TreeMap<>();
        actionsByResource.forEach((resource, actions) -> {
            String sid = sid(resource, actions);
            statements.computeIfAbsent(sid, s -> Map.entry(actions, new TreeSet<>())).getValue().add(resource);
        });
        return statements;
    }

    private static String sid(String resource, Set<String> actions) {
        if (resource.equals(CLUSTER)) {
            return "Cluster";
        }
        if (resource.startsWith(GROUP)) {
            return "Groups";
        }
        if (resource.startsWith(TRANSACTIONAL_ID)) {
            return "TransactionalIds";
        }
        if (resource.endsWith("*")) {
            return "StreamsInternalTopics";
        }
        StringBuilder sid = new StringBuilder("Topics");
        actions.forEach(a -> sid.append(a.substring("kafka-cluster:".length()).replace("Topic", "")
                .replace("Data", "")));
        return sid.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        return value instanceof List<?> list ? (List<String>) list : List.of();
    }
}
