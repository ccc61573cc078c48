package io.sipai.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * What each deploy target gives the services, read from the repository's files: the compose file's environments, the
 * Kubernetes ConfigMaps, the secrets the base config tells operators to create and what each Deployment takes from
 * them, the Terraform ECS services' environment and secrets, and the deploy workflow's variables. The checks on them
 * are in {@link DeployTargetsTest} and {@link SettingsContractTargetsTest}.
 */
final class DeployTargets {

    private static final Pattern ENV_KEY = Pattern.compile("(?m)^\\s*\\{?\\s*([A-Z][A-Z0-9_]{2,})\\s+=\\s+(.+)$");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+");
    private static final Pattern CONDITION = Pattern.compile("each\\.key == \"([a-z-]+)\"");
    private static final Pattern HCL_KEY = Pattern.compile("(?m)(?:^|\\{)\\s*([A-Z][A-Z0-9_]{2,})\\s*=");

    private DeployTargets() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> composeEnvironment() {
        Map<String, Object> compose = new Yaml().load(Repo.read(Repo.infra().resolve("compose/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, String> env = new LinkedHashMap<>();
        for (String service : ServiceSettings.SERVICES) {
            Map<String, Object> definition = (Map<String, Object>) services.get(service);
            ((Map<String, Object>) definition.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, String>> configMaps() {
        Map<String, Map<String, String>> maps = new LinkedHashMap<>();
        for (Path file : Repo.files(Repo.infra().resolve("k8s"), p -> p.getFileName().toString()
                .equals("config.yaml"))) {
            for (Object doc : new Yaml().loadAll(Repo.read(file))) {
                if (doc instanceof Map<?, ?> m && "ConfigMap".equals(m.get("kind"))) {
                    Map<String, String> data = new LinkedHashMap<>();
                    ((Map<String, Object>) m.get("data")).forEach((k, v) -> data.put(k, String.valueOf(v)));
                    maps.put(Repo.infra().relativize(file).toString(), data);
                }
            }
        }
        return maps;
    }

    /** Every key the base config tells operators to put in one of its secrets ({@link #kubernetesSecrets}). */
    static Set<String> kubernetesSecretNames() {
        Set<String> names = new TreeSet<>();
        kubernetesSecrets().values().forEach(names::addAll);
        return names;
    }

    static Path sipaiModule() {
        return Repo.infra().resolve("terraform/modules/sipai");
    }

    /** Every NAME = value an ECS service's environment gets (common, database and per-service entries). */
    static Map<String, String> terraformEnvironment() {
        String main = Repo.read(sipaiModule().resolve("main.tf"));
        Map<String, String> env = new LinkedHashMap<>();
        Matcher matcher = ENV_KEY.matcher(main);
        while (matcher.find()) {
            env.put(matcher.group(1), matcher.group(2).strip());
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> terraformSecrets() {
        Map<String, Object> variable = TerraformConfigurationTest.load(sipaiModule()).variables()
                .get("service_secrets");
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        ((Map<String, List<String>>) variable.get("default")).forEach((service, names) ->
                secrets.put(service, new TreeSet<>(names)));
        return secrets;
    }

    static Set<String> workflowEnvironment() {
        String text = Repo.read(Repo.root().resolve(".github/workflows/deploy.yml"));
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("(?m)^\\s+([A-Z][A-Z0-9_]+)=\\$\\{\\{").matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }


    /** Service to the names its compose environment sets. */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> composeByService() {
        Map<String, Object> compose = new Yaml().load(Repo.read(Repo.infra().resolve("compose/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Set<String>> byService = new LinkedHashMap<>();
        for (String service : ServiceSettings.SERVICES) {
            Map<String, Object> definition = (Map<String, Object>) services.get(service);
            byService.put(service, new TreeSet<>(((Map<String, Object>) definition.get("environment")).keySet()));
        }
        return byService;
    }

    /**
     * Service to the names its Kubernetes Deployment gets in every overlay: the keys of the ConfigMaps it takes
     * (the base's and the overlay's), the keys of the secrets it takes as the base config tells operators to create
     * them, and its own {@code env} entries.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Set<String>> kubernetesByService() {
        Set<String> configKeys = new TreeSet<>();
        configMaps().values().forEach(data -> configKeys.addAll(data.keySet()));
        Map<String, Set<String>> secretKeys = kubernetesSecrets();
        Map<String, Set<String>> byService = new LinkedHashMap<>();
        for (String service : ServiceSettings.SERVICES) {
            Set<String> names = new TreeSet<>();
            for (Object doc : new Yaml().loadAll(Repo.read(Repo.infra().resolve("k8s/base/" + service + ".yaml")))) {
                if (!(doc instanceof Map<?, ?> m) || !"Deployment".equals(m.get("kind"))) {
                    continue;
                }
                Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                        m.get("spec")).get("template")).get("spec");
                for (Map<String, Object> container : (List<Map<String, Object>>) pod.get("containers")) {
                    for (Map<String, Object> from : (List<Map<String, Object>>) container.getOrDefault("envFrom",
                            List.of())) {
                        if (from.containsKey("configMapRef")) {
                            names.addAll(configKeys);
                        }
                        if (from.get("secretRef") instanceof Map<?, ?> ref) {
                            names.addAll(secretKeys.getOrDefault(String.valueOf(ref.get("name")), Set.of()));
                        }
                    }
                    for (Map<String, Object> env : (List<Map<String, Object>>) container.getOrDefault("env",
                            List.of())) {
                        names.add(String.valueOf(env.get("name")));
                    }
                }
            }
            byService.put(service, names);
        }
        return byService;
    }

    /** Secret name to the keys the base config's instructions put in it. */
    static Map<String, Set<String>> kubernetesSecrets() {
        String text = Repo.read(Repo.infra().resolve("k8s/base/config.yaml"));
        int from = text.indexOf("# Secrets are never committed");
        String[] sections = text.substring(from, text.indexOf("apiVersion: v1", from)).split("create secret generic ");
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (int i = 1; i < sections.length; i++) {
            Set<String> keys = new TreeSet<>();
            Matcher key = SECRET_NAME.matcher(sections[i]);
            while (key.find()) {
                keys.add(key.group());
            }
            secrets.put(sections[i].split("[\\s\\\\]", 2)[0], keys);
        }
        return secrets;
    }

    /**
     * Service to the names its ECS task gets: the common environment, the database's for the services that have
     * one, the entries {@code merge} adds (for all, or for the service its condition names), and its secrets.
     */
    static Map<String, Set<String>> terraformByService() {
        String main = Repo.read(sipaiModule().resolve("main.tf"));
        Set<String> common = keys(block(main, "common_environment = {", "\n  }"));
        Set<String> database = keys(block(main, "database_environment = {", "\n  }"));
        String merge = block(main, "environment = merge(", "\n  )");
        Map<String, Set<String>> secrets = terraformSecrets();
        Map<String, Set<String>> byService = new LinkedHashMap<>();
        for (String service : ServiceSettings.SERVICES) {
            Set<String> names = new TreeSet<>(common);
            if (terraformVariableDefault("services_with_database").contains(service)) {
                names.addAll(database);
            }
            for (String line : merge.split("\n")) {
                Matcher condition = CONDITION.matcher(line);
                if (!condition.find() || condition.group(1).equals(service)) {
                    names.addAll(keys(line));
                }
            }
            names.addAll(secrets.getOrDefault(service, Set.of()));
            byService.put(service, names);
        }
        return byService;
    }

    private static String block(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new IllegalStateException("no '" + start + "' in modules/sipai/main.tf");
        }
        return text.substring(from + start.length(), text.indexOf(end, from));
    }

    private static Set<String> keys(String hcl) {
        Set<String> keys = new TreeSet<>();
        Matcher matcher = HCL_KEY.matcher(hcl);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static List<String> terraformVariableDefault(String variable) {
        return (List<String>) TerraformConfigurationTest.load(sipaiModule()).variables().get(variable).get("default");
    }
}
