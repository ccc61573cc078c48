package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The workflows under .github/workflows, validated against SchemaStore's GitHub Actions workflow schema. */
class GithubWorkflowsTest {

    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = GithubWorkflowsTest.class.getResourceAsStream("/schemas/github-workflow.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        }
    }

    static List<String> validate(Path workflow) {
        JsonNode node = YAML.readTree(Repo.read(workflow));
        List<String> findings = new ArrayList<>();
        for (Error error : schema.validate(node)) {
            findings.add(workflow.getFileName() + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
        return findings;
    }

    private static List<Path> workflows() {
        return Repo.files(Repo.root().resolve(".github/workflows"), p -> p.toString().matches(".*\\.ya?ml$"));
    }

    private static String workflow(String name) {
        return Repo.read(Repo.root().resolve(".github/workflows").resolve(name));
    }

    @Test
    void everyWorkflowIsValidAgainstTheGithubActionsSchema() {
        assertThat(workflows()).extracting(p -> p.getFileName().toString()).contains("ci.yml", "deploy.yml");

        List<String> findings = workflows().stream().flatMap(w -> validate(w).stream()).toList();

        assertThat(findings).isEmpty();
    }

    @Test
    void givenAWorkflowWithAMisspelledKeyAndNoRunner_whenValidated_thenTheSchemaRejectsIt() {
        List<String> findings = validate(Repo.fixture("workflows/broken.yml"));

        assertThat(findings).isNotEmpty();
    }

    @Test
    void ciBuildsWithTheMavenWrapperOnTemurin21AndRunsEveryRequiredGate() {
        String ci = workflow("ci.yml");

        assertThat(ci).contains("./mvnw -B verify").contains("distribution: temurin").contains("java-version: \"21\"")
                .contains("terraform fmt -check").contains("terraform -chdir=\"$root\" validate")
                .contains("aquasecurity/trivy-action").contains("severity: HIGH,CRITICAL").contains("exit-code: \"1\"")
                .contains("aquasecurity/tfsec-action").contains("semgrep scan").contains("github/codeql-action/analyze")
                .contains("hadolint/hadolint").contains(".github/scripts/dev-url-guard.sh")
                .contains("tags: sipai/${{ matrix.image }}:${{ github.sha }}")
                .contains("github.ref == 'refs/heads/develop'").contains("environment: staging")
                .contains("github.ref == 'refs/heads/main'").contains("environment: prod");
    }

    @Test
    void deploymentAssumesARoleThroughOidcAndNeverUsesStaticKeys() {
        String deploy = workflow("deploy.yml");

        assertThat(deploy).contains("id-token: write").contains("role-to-assume: ${{ vars.AWS_ROLE_ARN }}")
                .contains("wait-for-service-stability: true").contains("amazon-ecs-render-task-definition")
                .contains("REALTIME_WS_URL=${{ needs.prepare.outputs.ws_url }}")
                .contains(".github/scripts/smoke-test.sh")
                .contains("if: always() && env.SLACK_WEBHOOK_URL != ''");
        for (Path w : workflows()) {
            assertThat(Repo.read(w)).as(w.toString()).doesNotContain("aws-access-key-id")
                    .doesNotContain("AWS_SECRET_ACCESS_KEY").doesNotContain("aws-secret-access-key");
        }
    }
}
