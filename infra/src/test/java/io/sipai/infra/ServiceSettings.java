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
    private static final Pattern PARAM_TEXT = Pattern.compile(
            "@param\\s+(\\w+)\\s+\\{@code ([A-Z][A-Z0-9_]+)}\\s*:?\\s*(.*?)"
            + "(?=\\n\\s*\\*\\s*@|\\n\\s*\\*/)", Pattern.DOTALL);
    /** A settings record's header: its components, {@code Type name} pairs. */
    private static final Pattern RECORD = Pattern.compile(
            "(?m)^\\s*(?:public\\s+)?record\\s+\\w+\\s*\\(([^{]*?)\\)\\s*(?:implements[^{]*)?\\{");
    private static final Pattern COMPONENT = Pattern.compile("([A-Za-z][\\w.]*(?:<[^>]*>)?)\\s+(\\w+)\\s*$");
    /** How a description says a deployment must set it: for every service that reads it, or for the ones named. */
    private static final Pattern REQUIRED = Pattern.compile(
            "\\(required\\)|\\(required by ([a-z, -]+)\\)|required in a deployment");
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
     * @param requiredBy  the services a deployment must give it to (its javadoc says "(required)", "required in a
     *                    deployment" or "(required by a and b)")
     * @param shape       what a value must look like: {@code integer}, {@code number}, {@code boolean},
     *                    {@code duration}, {@code url}, {@code host:port list} or {@code text}; from the record
     *                    component's type and the name
     * @param description what its settings record's javadoc says of it
     * @param secret      whether it holds a credential (deploy targets take it from a secret store)
     */
    record Setting(String name, Set<String> services, Set<String> requiredBy, String shape, String description,
                   boolean secret) {
    }

    /** What one settings record or placeholder says of a variable. */
    private record Declared(String description, String type) {
    }

    /** Every setting any service reads, by name. */
    static List<Setting> contract() {
        Map<String, Set<String>> reads = read();
        Map<String, Declared> declared = new TreeMap<>();
        for (String module : List.of("service-runtime", "api-gateway", "realtime-edge", "webhook-dispatcher",
                "stream-processors")) {
            describe(module, declared);
        }
        List<Setting> contract = new ArrayList<>();
        for (String name : readByAny(reads)) {
            Set<String> services = new TreeSet<>();
            reads.forEach((service, names) -> {
                if (names.contains(name)) {
                    services.add(service);
                }
            });
            Declared what = declared.getOrDefault(name, new Declared("", ""));
            contract.add(new Setting(name, services, requiredBy(what.description(), services),
                    shape(name, what.type()), what.description(), isSecret(name)));
        }
        return contract;
    }

    static boolean isSecret(String name) {
        return SECRET.matcher(name).matches();
    }

    /** The services of {@code readers} that a deployment must give the setting, by its description. */
    static Set<String> requiredBy(String description, Set<String> readers) {
        Matcher matcher = REQUIRED.matcher(description);
        if (!matcher.find()) {
            return Set.of();
        }
        if (matcher.group(1) == null) {
            return new TreeSet<>(readers);
        }
        Set<String> named = new TreeSet<>();
        for (String service : matcher.group(1).split(",|\\band\\b")) {
            if (readers.contains(service.strip())) {
                named.add(service.strip());
            }
        }
        return named;
    }

    /** What a value of the variable must look like, from its name and its record component's Java type. */
    static String shape(String name, String javaType) {
        if (name.endsWith("_SERVERS")) {
            return "host:port list";
        }
        if (name.endsWith("_URL") || name.endsWith("_ENDPOINT") || javaType.equals("URI")) {
            return "url";
        }
        return switch (javaType) {
            case "int", "Integer", "long", "Long", "short", "Short" -> "integer";
            case "double", "Double", "float", "Float" -> "number";
            case "boolean", "Boolean" -> "boolean";
            case "Duration" -> "duration";
            default -> "text";
        };
    }

    private static void describe(String module, Map<String, Declared> into) {
        for (Path file : Repo.files(Repo.root().resolve(module).resolve("src/main/java"), p -> p.toString()
                .endsWith(".java"))) {
            String text = Repo.read(file);
            if (text.contains("@ConfigurationProperties")) {
                Map<String, String> types = componentTypes(text);
                Matcher matcher = PARAM_TEXT.matcher(text);
                while (matcher.find()) {
                    String description = matcher.group(3).replaceAll("\\n\\s*\\*\\s?", " ")
                            .replaceAll("\\{@(?:code|link) ([^}]*)}", "`$1`").replaceAll("\\s+", " ").strip();
                    into.merge(matcher.group(2), new Declared(description, types.getOrDefault(matcher.group(1), "")),
                            (a, b) -> a.description().length() >= b.description().length() ? a : b);
                }
            }
            Matcher placeholder = PLACEHOLDER_TEXT.matcher(text);
            while (placeholder.find()) {
                String fallback = placeholder.group(3);
                String type = fallback.matches("-?\\d+") ? "Long" : fallback.matches("true|false") ? "Boolean" : "";
                into.putIfAbsent(placeholder.group(2), new Declared("sets `" + placeholder.group(1) + "` (default `"
                        + fallback + "`)", type));
            }
        }
    }

    /** Component name to Java type (without generics' arguments) of the first record declared in {@code text}. */
    private static Map<String, String> componentTypes(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Matcher record = RECORD.matcher(text);
        if (record.find()) {
            for (String component : record.group(1).replaceAll("@\\w+(\\([^)]*\\))?", "")
                    .replaceAll("<[^>]*>", "").split(",")) {
                Matcher typed = COMPONENT.matcher(component.strip());
                if (typed.find()) {
                    String type = typed.group(1);
                    types.put(typed.group(2), type.substring(type.lastIndexOf('.') + 1));
                }
            }
        }
        return types;
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
