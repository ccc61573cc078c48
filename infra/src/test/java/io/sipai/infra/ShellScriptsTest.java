package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sipai.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell scripts: shellcheck on every *.sh and bin/sipai (mvnw excluded), and the development-URL guard. */
class ShellScriptsTest {

    private static final String NO_SHELLCHECK = "shellcheck is not installed (apt-get install -y shellcheck): shell scripts not checked";

    static List<Path> scripts() {
        Path root = Repo.root();
        List<Path> scripts = new ArrayList<>(Repo.files(root, p -> p.getFileName().toString().endsWith(".sh")
                && !p.startsWith(Repo.infra().resolve("src/test/resources/fixtures"))));
        Path launcherScript = root.resolve("bin/sipai");
        if (Files.isRegularFile(launcherScript)) {
            scripts.add(launcherScript);
        }
        return scripts;
    }

    private static Repo.Result shellcheck(List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of("shellcheck", "--external-sources", "--severity=warning"));
        files.forEach(f -> cmd.add(f.toString()));
        return Repo.run(Repo.root(), cmd);
    }

    @Test
    void everyShellScriptIsShellcheckClean() {
        Tools.require("shellcheck", NO_SHELLCHECK);
        List<Path> scripts = scripts();
        assertThat(scripts).extracting(p -> p.getFileName().toString())
                .contains("dev-url-guard.sh", "smoke-test.sh", "shellcheck-all.sh")
                .doesNotContain("mvnw");

        Repo.Result result = shellcheck(scripts);

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void givenAScriptThatIgnoresAFailedCd_whenShellchecked_thenItFails() {
        Tools.require("shellcheck", NO_SHELLCHECK);

        Repo.Result result = shellcheck(List.of(Repo.fixture("shell/unchecked-cd.sh")));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("SC2164");
    }

    @Test
    void givenLoopbackAndPlainWebSocketUrlsInSrcMain_whenTheGuardRuns_thenItFailsAndNamesThem(@TempDir Path repo) throws Exception {
        write(repo, "svc/src/main/resources/application.yml", "base-url: http://localhost:8080\n");
        write(repo, "svc/src/main/java/Client.java", "class Client { String ws = \"ws://media.example.com/stream\"; }\n");
        write(repo, "svc/src/test/java/ClientTest.java", "class ClientTest { String u = \"ws://127.0.0.1:8081/x\"; }\n");

        Repo.Result result = guard(repo);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("application.yml:1:").contains("Client.java:1:")
                .doesNotContain("ClientTest.java");
    }

    @Test
    void givenLoopbackOnlyInTestsAndWssInSrcMain_whenTheGuardRuns_thenItPasses(@TempDir Path repo) throws Exception {
        write(repo, "svc/src/main/java/Client.java", "class Client { String ws = \"wss://voice.example.com/realtime\"; }\n");
        write(repo, "svc/src/test/java/ClientTest.java", "class ClientTest { String u = \"http://127.0.0.1:8080/v1\"; }\n");
        write(repo, "launcher/src/main/java/Launcher.java", "class Launcher { String u = \"http://127.0.0.1:8080\"; }\n");

        Repo.Result result = guard(repo);

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void productionCodePathsOfThisRepositoryHaveNoDevelopmentUrls() {
        Repo.Result result = guard(Repo.root());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static Repo.Result guard(Path repo) {
        return Repo.run(repo, List.of("bash", Repo.root().resolve(".github/scripts/dev-url-guard.sh").toString(), repo.toString()));
    }

    private static void write(Path root, String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
