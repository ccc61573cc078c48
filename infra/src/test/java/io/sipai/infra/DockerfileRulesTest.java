package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** hadolint-style rules for infra/docker/*.Dockerfile (CI also runs hadolint itself). */
class DockerfileRulesTest {

    private static final Map<String, Integer> SERVICE_PORTS = Map.of(
            "api-gateway", 8080, "realtime-edge", 8081, "webhook-dispatcher", 8082, "stream-processors", 8083);
    private static final Pattern PINNED = Pattern.compile("^[a-z0-9./-]+(:[A-Za-z0-9._-]*\\d[A-Za-z0-9._-]*)?(@sha256:[a-f0-9]{64})?$");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|token|password|passwd|api_key|apikey|private_key|credential).*");

    record Instruction(int line, String keyword, String args) {
    }

    /** Instructions with continuation lines joined and comments dropped. */
    static List<Instruction> instructions(String text) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = text.split("\n");
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (current == null && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            if (line.startsWith("#")) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = current.toString().strip();
                int space = joined.indexOf(' ');
                out.add(new Instruction(start, (space < 0 ? joined : joined.substring(0, space)).toUpperCase(),
                        space < 0 ? "" : joined.substring(space + 1).strip()));
                current = null;
            }
        }
        return out;
    }

    static List<String> check(String name, String text, String module, Integer port) {
        List<String> findings = new ArrayList<>();
        List<Instruction> all = instructions(text);
        List<String> stageAliases = new ArrayList<>();
        int lastFrom = -1;
        for (int i = 0; i < all.size(); i++) {
            Instruction ins = all.get(i);
            String where = name + ":" + ins.line() + ": ";
            switch (ins.keyword()) {
                case "FROM" -> {
                    String[] parts = ins.args().split("\\s+");
                    String image = parts[0];
                    if (!stageAliases.contains(image)
                            && (!PINNED.matcher(image).matches() || !image.contains(":") || image.endsWith(":latest"))) {
                        findings.add(where + "base image " + image + " is not pinned to a versioned tag (DL3006/DL3007)");
                    }
                    if (parts.length == 3 && parts[1].equalsIgnoreCase("AS")) {
                        stageAliases.add(parts[2]);
                    }
                    lastFrom = i;
                }
                case "ADD" -> {
                    if (ins.args().matches(".*\\bhttps?://.*")) {
                        findings.add(where + "ADD of a URL: download in a RUN step with a checksum (DL3020)");
                    }
                }
                case "ENV", "ARG" -> {
                    for (String token : ins.args().split("\\s+")) {
                        String key = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
                        if (SECRET_NAME.matcher(key).matches()) {
                            findings.add(where + ins.keyword() + " " + key + " bakes a secret into the image");
                        }
                    }
                }
                case "RUN" -> {
                    if (ins.args().contains("apt-get install") && !ins.args().contains("--no-install-recommends")) {
                        findings.add(where + "apt-get install without --no-install-recommends (DL3015)");
                    }
                    if (ins.args().contains("apt-get install") && !ins.args().contains("rm -rf /var/lib/apt/lists")) {
                        findings.add(where + "apt lists not removed after install (DL3009)");
                    }
                    if (ins.args().matches(".*\\b(curl|wget)\\b.*\\|\\s*(ba)?sh.*")) {
                        findings.add(where + "pipes a download into a shell");
                    }
                }
                default -> {
                }
            }
        }
        if (lastFrom < 0) {
            findings.add(name + ": no FROM");
            return findings;
        }
        List<Instruction> runtime = all.subList(lastFrom, all.size());
        List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();
        if (users.isEmpty()) {
            findings.add(name + ": the runtime stage has no USER: it runs as root (DL3002)");
        } else {
            String user = users.get(users.size() - 1).args().split(":")[0];
            if (user.equals("root") || user.equals("0")) {
                findings.add(name + ": the runtime stage runs as root (DL3002)");
            }
        }
        List<Instruction> entry = runtime.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
        if (entry.isEmpty() || !entry.get(0).args().matches("\\[\\s*\"[^\"]*tini\".*")) {
            findings.add(name + ": ENTRYPOINT must start an init (tini) so SIGTERM reaches the JVM");
        }
        String runtimeText = runtime.toString();
        if (!runtimeText.contains("MaxRAMPercentage")) {
            findings.add(name + ": no container-aware heap setting (-XX:MaxRAMPercentage)");
        }
        List<Instruction> health = runtime.stream().filter(i -> i.keyword().equals("HEALTHCHECK")).toList();
        if (port != null) {
            if (health.isEmpty() || !health.get(0).args().contains("/health")) {
                findings.add(name + ": no HEALTHCHECK on /health");
            } else if (health.get(0).args().contains("curl") && !text.contains("install -y --no-install-recommends tini curl")) {
                findings.add(name + ": HEALTHCHECK uses curl, which the runtime stage does not install");
            }
            if (runtime.stream().noneMatch(i -> i.keyword().equals("EXPOSE") && i.args().equals(String.valueOf(port)))) {
                findings.add(name + ": does not EXPOSE " + port);
            }
        } else if (health.isEmpty()) {
            findings.add(name + ": no HEALTHCHECK (a job image says HEALTHCHECK NONE)");
        }
        if (module != null && !text.contains("./mvnw -B -q -pl " + module + " -am package -DskipTests")) {
            findings.add(name + ": build stage must build " + module + " with the Maven wrapper");
        }
        return findings;
    }

    private static Path docker() {
        return Repo.infra().resolve("docker");
    }

    @Test
    void everyServiceImageIsPinnedNonRootWithInitHealthcheckAndNoBakedSecrets() {
        List<String> findings = new ArrayList<>();
        SERVICE_PORTS.forEach((service, port) -> findings.addAll(
                check(service + ".Dockerfile", Repo.read(docker().resolve(service + ".Dockerfile")), service, port)));
        findings.addAll(check("launcher.Dockerfile", Repo.read(docker().resolve("launcher.Dockerfile")), "launcher", null));

        assertThat(findings).isEmpty();
        assertThat(Repo.files(docker(), p -> p.toString().endsWith(".Dockerfile"))).hasSize(5);
    }

    @Test
    void givenACarelessDockerfile_whenChecked_thenEveryRuleItBreaksIsReported() {
        List<String> findings = check("bad.Dockerfile", Repo.read(Repo.fixture("docker/bad.Dockerfile")), "api-gateway", 8080);

        assertThat(findings).anyMatch(f -> f.contains("is not pinned"))
                .anyMatch(f -> f.contains("ADD of a URL"))
                .anyMatch(f -> f.contains("ENV OPENAI_API_KEY bakes a secret"))
                .anyMatch(f -> f.contains("runs as root"))
                .anyMatch(f -> f.contains("ENTRYPOINT must start an init"))
                .anyMatch(f -> f.contains("no HEALTHCHECK on /health"))
                .anyMatch(f -> f.contains("MaxRAMPercentage"));
    }

    @Test
    void dockerignoreKeepsBuildOutputSecretsAndStateOutOfTheContext() {
        String ignore = Repo.read(Repo.root().resolve(".dockerignore"));

        assertThat(ignore).contains("**/target/").contains(".git/").contains("**/.env").contains("**/*.tfstate");
    }
}
