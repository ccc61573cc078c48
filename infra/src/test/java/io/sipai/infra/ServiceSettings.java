package io.sipai.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables each service reads, taken from its code: the {@code {@code NAME}} that every
 * {@code @ConfigurationProperties} record's {@code @param} names, the {@code ${NAME:default}} placeholders and
 * {@code System.getenv("NAME")} calls, in the service's module and in service-runtime (which every service runs).
 * The deploy targets are checked against it ({@link DeployTargetsTest}), so a setting no service reads, or one a
 * service needs and a target does not give, fails the build instead of a first deploy.
 */
final class ServiceSettings {

    static final List<String> SERVICES = List.of("api-gateway", "realtime-edge", "webhook-dispatcher",
            "stream-processors");
    /** Read by the JVM itself, not by a service's code. */
    static final Set<String> JVM = Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern PARAM = Pattern.compile("@param\\s+\\w+\\s+\\{@code ([A-Z][A-Z0-9_]+)}");
    private static final Pattern PARAM_TEXT = Pattern.compile("@param\\s+\\w+\\s+\\{@code ([A-Z][A-Z0-9_]+)}\\s*:?\\s*"
            + "(.*?)(?=\\n\\s*\\*\\s*@|\\n\\s*\\*/)", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER_TEXT = Pattern.compile(
            "\"([a-z0-9.-]+)\",\\s*\"[^\"]*\\$\\{([A-Z][A-Z0-9_]+):([^}]*)}");
    /** Names that hold credentials: deploy targets must take them from a secret store. */
    private static final Pattern SECRET = Pattern.compile(".*(SECRET|PASSWORD|TOKEN|API_KEY|_KEYS)$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)[:}]");
    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]+)\"\\)");

    private ServiceSettings() {
    }

    /** Service name to the variables it reads. */
    static Map<String, Set<String>> read() {
        Set<String> shared = readModule("service-runtime");
        Map<String, Set<String>> reads = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Set<String> names = new TreeSet<>(shared);
            names.addAll(readModule(service));
            names.addAll(JVM);
            reads.put(service, names);
        }
        return reads;
    }

    /**
     * One setting of the contract.
     *
     * @param name        the environment variable
     * @param services    the services that read it
     * @param description what its settings record's javadoc says of it
     * @param secret      whether it holds a credential (deploy targets take it from a secret store)
     */
    record Setting(String name, Set<String> services, String description, boolean secret) {
    }

    /** Every setting any service reads, by name. */
    static List<Setting> contract() {
        Map<String, Set<String>> reads = read();
        Map<String, String> descriptions = new TreeMap<>();
        for (String module : List.of("service-runtime", "api-gateway", "realtime-edge", "webhook-dispatcher",
                "stream-processors")) {
            describe(module, descriptions);
        }
        List<Setting> contract = new ArrayList<>();
        for (String name : readByAny(reads)) {
            Set<String> services = new TreeSet<>();
            reads.forEach((service, names) -> {
                if (names.contains(name)) {
                    services.add(service);
                }
            });
            contract.add(new Setting(name, services, descriptions.getOrDefault(name, ""), isSecret(name)));
        }
        return contract;
    }

    static boolean isSecret(String name) {
        return SECRET.matcher(name).matches();
    }

    private static void describe(String module, Map<String, String> into) {
        for (Path file : Repo.files(Repo.root().resolve(module).resolve("src/main/java"), p -> p.toString()
                .endsWith(".java"))) {
            String text = Repo.read(file);
            if (text.contains("@ConfigurationProperties")) {
                Matcher matcher = PARAM_TEXT.matcher(text);
                while (matcher.find()) {
                    String description = matcher.group(2).replaceAll("\\n\\s*\\*\\s?", " ")
                            .replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`").replaceAll("\\s+", " ").strip();
                    into.merge(matcher.group(1), description, (a, b) -> a.length() >= b.length() ? a : b);
                }
            }
            Matcher placeholder = PLACEHOLDER_TEXT.matcher(text);
            while (placeholder.find()) {
                into.putIfAbsent(placeholder.group(2), "sets `" + placeholder.group(1) + "` (default `"
                        + placeholder.group(3) + "`)");
            }
        }
    }

    /** Variables that at least one service reads. */
    static Set<String> readByAny(Map<String, Set<String>> reads) {
        Set<String> all = new TreeSet<>();
        reads.values().forEach(all::addAll);
        return all;
    }

    private static Set<String> readModule(String module) {
        Path sources = Repo.root().resolve(module).resolve("src/main");
        Set<String> names = new TreeSet<>();
        for (Path file : Repo.files(sources, p -> p.toString().endsWith(".java") || p.toString().endsWith(".yaml")
                || p.toString().endsWith(".yml") || p.toString().endsWith(".properties"))) {
            String text = Repo.read(file);
            if (text.contains("@ConfigurationProperties")) {
                collect(PARAM, text, names);
            }
            collect(PLACEHOLDER, text, names);
            collect(GETENV, text, names);
        }
        return names;
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}
