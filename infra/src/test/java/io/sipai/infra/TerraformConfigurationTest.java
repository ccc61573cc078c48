package io.sipai.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import org.junit.jupiter.api.Test;

/** Terraform under infra/terraform, parsed with a real HCL parser (hcl4j). */
class TerraformConfigurationTest {

    private static final Pattern VAR_REF = Pattern.compile("(?<![A-Za-z0-9_.])var\\.([A-Za-z_][A-Za-z0-9_-]*)");
    private static final Set<String> META_ARGS = Set.of("source", "version", "count", "for_each", "depends_on", "providers");

    private static Path terraform() {
        return Repo.infra().resolve("terraform");
    }

    /** A Terraform module: one directory of .tf files. */
    record Module(Path dir, Map<String, Map<String, Object>> variables, Map<String, Map<String, Object>> calls,
                  Set<String> referenced, List<String> parseErrors) {
    }

    @SuppressWarnings("unchecked")
    static Module load(Path dir) {
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        Map<String, Map<String, Object>> calls = new LinkedHashMap<>();
        Set<String> referenced = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        for (Path tf : Repo.files(dir, p -> p.getParent().equals(dir) && p.toString().endsWith(".tf"))) {
            Map<String, Object> parsed;
            try {
                parsed = quietly(tf);
            } catch (Exception e) {
                errors.add(tf + ": " + e);
                continue;
            }
            Object vars = parsed.get("variable");
            if (vars instanceof Map<?, ?> m) {
                m.forEach((k, v) -> variables.put((String) k, (Map<String, Object>) v));
            }
            Object modules = parsed.get("module");
            if (modules instanceof Map<?, ?> m) {
                m.forEach((k, v) -> calls.put((String) k, (Map<String, Object>) v));
            }
            for (String line : Repo.read(tf).split("\n")) {
                Matcher matcher = VAR_REF.matcher(line.strip().startsWith("#") ? "" : line);
                while (matcher.find()) {
                    referenced.add(matcher.group(1));
                }
            }
        }
        return new Module(dir, variables, calls, referenced, errors);
    }

    /** hcl4j prints evaluation traces on System.out; keep the build log readable. */
    static synchronized Map<String, Object> quietly(Path tf) throws Exception {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return new HCLParser().parse(tf.toFile(), "UTF-8");
        } finally {
            System.setOut(out);
        }
    }

    static List<Path> moduleDirs(Path root) {
        return Repo.files(root, p -> p.toString().endsWith(".tf")).stream()
                .map(Path::getParent).distinct().sorted().toList();
    }

    /** Every problem of one module: parse errors, undeclared or undocumented variables, bad module calls. */
    static List<String> findings(Module module) {
        List<String> findings = new ArrayList<>(module.parseErrors());
        for (String ref : module.referenced()) {
            if (!module.variables().containsKey(ref)) {
                findings.add(module.dir() + ": var." + ref + " is referenced but not declared");
            }
        }
        module.variables().forEach((name, body) -> {
            Object description = body == null ? null : body.get("description");
            if (!(description instanceof String s) || s.isBlank()) {
                findings.add(module.dir() + ": variable " + name + " has no description");
            }
            if (body == null || !body.containsKey("type")) {
                findings.add(module.dir() + ": variable " + name + " has no type");
            }
        });
        module.calls().forEach((name, args) -> {
            Object source = args.get("source");
            if (!(source instanceof String s) || !s.startsWith(".")) {
                return;
            }
            Module callee = load(module.dir().resolve(s).normalize());
            if (callee.variables().isEmpty() && callee.parseErrors().isEmpty()) {
                findings.add(module.dir() + ": module " + name + " points at " + s + ", which declares no variables");
                return;
            }
            Set<String> passed = new LinkedHashSet<>(args.keySet());
            passed.removeAll(META_ARGS);
            for (String arg : passed) {
                if (!callee.variables().containsKey(arg)) {
                    findings.add(module.dir() + ": module " + name + " passes " + arg + ", not a variable of " + s);
                }
            }
            callee.variables().forEach((var, body) -> {
                if ((body == null || !body.containsKey("default")) && !passed.contains(var)) {
                    findings.add(module.dir() + ": module " + name + " does not set required variable " + var);
                }
            });
        });
        return findings;
    }

    @Test
    void everyTerraformModuleParsesAndDeclaresEachVariableItReferences() {
        List<Path> dirs = moduleDirs(terraform());
        assertThat(dirs).as("terraform roots and modules").hasSizeGreaterThanOrEqualTo(12);

        List<String> findings = dirs.stream().map(TerraformConfigurationTest::load)
                .flatMap(m -> findings(m).stream()).toList();

        assertThat(findings).isEmpty();
    }

    @Test
    void givenAModuleReferencingAnUndeclaredVariable_whenChecked_thenTheFindingNamesIt() {
        Module bad = load(Repo.fixture("terraform/undeclared-var"));

        List<String> findings = findings(bad);

        assertThat(findings).anyMatch(f -> f.contains("var.instance_typo is referenced but not declared"));
        assertThat(findings).anyMatch(f -> f.contains("variable region has no description"));
        assertThat(findings).anyMatch(f -> f.contains("variable region has no type"));
    }

    @Test
    void everyTerraformFileIsLaidOutAsTerraformFmtWould() {
        List<String> findings = Repo.files(terraform(), p -> p.toString().matches(".*\\.(tf|tfvars|hcl)$")).stream()
                .flatMap(p -> HclFormatCheck.check(terraform().relativize(p).toString(), Repo.read(p)).stream())
                .toList();

        assertThat(findings).isEmpty();
    }

    @Test
    void givenMisalignedAndMisindentedHcl_whenFormatChecked_thenBothAreReported() {
        String text = Repo.read(Repo.fixture("terraform/unformatted.tf"));

        List<String> findings = HclFormatCheck.check("unformatted.tf", text);

        assertThat(findings).anyMatch(f -> f.contains("terraform fmt aligns it"));
        assertThat(findings).anyMatch(f -> f.contains("indented 4 spaces, terraform fmt wants 2"));
    }

    @Test
    void bothEnvironmentsUseTheS3BackendWithDynamoDbLocking() {
        for (String env : List.of("prod", "staging")) {
            Path dir = terraform().resolve("envs").resolve(env);
            assertThat(Repo.read(dir.resolve("versions.tf"))).contains("backend \"s3\" {}");
            String backend = Repo.read(dir.resolve("backend.hcl"));
            assertThat(backend).contains("dynamodb_table").contains("encrypt        = true")
                    .contains("key            = \"sipai/" + env + "/terraform.tfstate\"");
        }
    }

    @Test
    void loadBalancerRoutesByPathWithLongIdleTimeoutStickinessAndTheRequiredHealthCheck() {
        String alb = Repo.read(terraform().resolve("modules/alb/main.tf"));
        String albVars = Repo.read(terraform().resolve("modules/alb/variables.tf"));
        String sipai = Repo.read(terraform().resolve("modules/sipai/main.tf"));

        assertThat(alb).contains("status_code = \"HTTP_301\"").contains("protocol    = \"HTTPS\"")
                .contains("path                = \"/health\"").contains("interval            = 15")
                .contains("timeout             = 5").contains("healthy_threshold   = 2")
                .contains("unhealthy_threshold = 3").contains("type            = \"lb_cookie\"")
                .contains("resource \"aws_route53_record\" \"alias\"").contains("aws_acm_certificate_validation");
        assertThat(albVars).contains("var.idle_timeout_seconds >= 900")
                .contains("default     = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"");
        assertThat(sipai)
                .contains("paths    = [\"/realtime/*\", \"/v1/realtime/*\", \"/telephony/twilio/stream\", \"/telephony/jambonz/listen\", \"/telephony/jambonz/transfer/*\"]")
                .contains("paths    = [\"/webhooks/*\"]").contains("paths    = [\"/v1/*\", \"/telephony/*\"]");
    }

    @Test
    void ecsServicesRollBackFailedDeploymentsAndScaleOnCpuAndActiveCalls() {
        String ecs = Repo.read(terraform().resolve("modules/ecs-service/main.tf"));

        assertThat(ecs).contains("deployment_minimum_healthy_percent = 100")
                .contains("deployment_maximum_percent         = 200")
                .containsPattern("deployment_circuit_breaker \\{\\s+enable\\s+= true\\s+rollback = true")
                .contains("ECSServiceAverageCPUUtilization").contains("customized_metric_specification")
                .contains("readonlyRootFilesystem = true").contains("valueFrom = var.secrets[k]")
                .contains("retention_in_days = var.log_retention_days");
        assertThat(ecs).doesNotContain("aws_access_key_id").doesNotContain("AKIA");
    }

    @Test
    void kafkaIsReplicatedThreeWaysWithMinIsrTwoAndIamOverTls() {
        String msk = Repo.read(terraform().resolve("modules/msk/main.tf"));

        assertThat(msk).contains("default.replication.factor=3").contains("min.insync.replicas=2")
                .contains("client_broker = \"TLS\"").contains("iam = true").contains("aws_msk_serverless_cluster");
        assertThat(Repo.read(terraform().resolve("modules/msk/variables.tf"))).contains("default     = 3");
    }

    @Test
    void databaseIsEncryptedBackedUpAndMultiAzInProduction() {
        String rds = Repo.read(terraform().resolve("modules/rds/main.tf"));

        assertThat(rds).contains("storage_encrypted                   = true")
                .contains("backup_retention_period             = var.backup_retention_days")
                .contains("manage_master_user_password         = true");
        assertThat(Repo.read(terraform().resolve("envs/prod/main.tf"))).contains("db_multi_az                    = true")
                .contains("single_nat_gateway             = false");
        assertThat(Repo.read(terraform().resolve("envs/staging/main.tf"))).contains("single_nat_gateway             = true");
    }

    @Test
    void ciRoleTrustsOnlyThisRepositorysBranchTagsAndEnvironmentThroughOidc() {
        String oidc = Repo.read(terraform().resolve("modules/github-oidc/main.tf"));

        assertThat(oidc).contains("sts:AssumeRoleWithWebIdentity")
                .contains("\"repo:${var.repository}:ref:refs/heads/${b}\"")
                .contains("\"repo:${var.repository}:ref:refs/tags/*\"")
                .contains("\"repo:${var.repository}:environment:${e}\"")
                .contains("values   = [\"sts.amazonaws.com\"]").contains("iam:PassedToService");
        assertThat(oidc).doesNotContain("\"ecs:*\"").doesNotContain("\"ecr:*\"").doesNotContain("\"iam:*\"")
                .doesNotContain("\"s3:*\"");
    }

    @Test
    void everyEnvironmentRootExportsTheAlbDnsNameAndServiceNames() throws Exception {
        for (String env : List.of("prod", "staging")) {
            Path outputs = terraform().resolve("envs").resolve(env).resolve("outputs.tf");
            @SuppressWarnings("unchecked")
            Map<String, Object> declared = (Map<String, Object>) quietly(outputs).get("output");
            assertThat(declared).containsKeys("alb_dns_name", "service_names", "ecs_cluster_name");
        }
        Set<String> roots = moduleDirs(terraform()).stream().map(p -> terraform().relativize(p).toString())
                .collect(Collectors.toSet());
        assertThat(roots).contains("envs/prod", "envs/staging", "bootstrap");
        assertThat(Files.exists(terraform().resolve("envs/prod/terraform.tfvars"))).isTrue();
    }
}
