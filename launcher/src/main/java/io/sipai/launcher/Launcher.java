package io.sipai.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.TopicCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar launcher.jar up [--wipe]}: the whole platform on one machine until Ctrl-C.
 * {@code java -jar launcher.jar create-topics}: create every topic on {@code KAFKA_BOOTSTRAP_SERVERS} and exit
 * (the topic-init job of container deployments). {@code java -jar launcher.jar train}: start and stop the platform
 * once so the services' startup caches exist (run by {@code bin/sipai} after a build).
 * {@code java -jar launcher.jar smoke BASE_URL}: place one Twilio call on a running deployment ({@link CallSmoke}).
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        String command = arguments.isEmpty() ? "up" : arguments.getFirst();
        int status;
        try {
            status = switch (command) {
                case "up" -> up(arguments.contains("--wipe"));
                case "train" -> train();
                case "create-topics" -> createTopics(System.getenv(), System.out);
                case "smoke" -> arguments.size() == 2
                        ? CallSmoke.fromEnvironment(arguments.get(1), System.getenv()).run(System.out)
                        : usage("smoke needs the deployment's base URL");
                default -> usage("unknown command '" + command + "'");
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("sipai: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("sipai: " + e);
            status = 1;
        }
        System.exit(status);
    }

    private static int usage(String problem) {
        System.err.println("sipai: " + problem + "\nusage: launcher.jar up [--wipe] | train | create-topics | smoke BASE_URL");
        return 2;
    }

    /**
     * {@code create-topics}: every topic on the cluster the environment's {@code KAFKA_*} settings name, reached the
     * way the services reach it (TLS, SASL, MSK IAM); 3 when a topic exists with other partitions.
     */
    static int createTopics(Map<String, String> env, PrintStream out) {
        TopicCreator.Result result = TopicSetup.createAll(KafkaSettings.fromEnvironment(env));
        out.println("created " + result.created() + ", already present " + result.existing().size());
        return result.partitionMismatches().isEmpty() ? 0 : 3;
    }

    private static int up(boolean wipe) throws Exception {
        PlatformConfig config = PlatformConfig.fromEnvironment(Path.of(System.getProperty("sipai.home", "."))
                .toAbsolutePath().normalize(), System.getenv());
        if (wipe) {
            wipe(config.dataDir());
        }
        long started = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(1);
        Platform platform = new Platform(config);
        Thread hook = new Thread(() -> {
            LOG.info("stopping ...");
            platform.close();
            stopped.countDown();
        }, "sipai-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        platform.prepareServices();
        platform.startInfrastructure();
        platform.startServices();
        printUrls(config, (System.nanoTime() - started) / 1_000_000, platform.apiKey());
        stopped.await();
        return 0;
    }

    /**
     * Starts the whole platform once in a throw-away data directory and stops it as soon as every service is ready,
     * so each service JVM records its class-data cache ({@link StartupCache}); {@code bin/sipai} runs it after a
     * build, and every later {@code up} starts from the caches.
     */
    private static int train() throws Exception {
        Path home = Path.of(System.getProperty("sipai.home", ".")).toAbsolutePath().normalize();
        Path scratch = Files.createTempDirectory("sipai-train");
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("SIPAI_DATA_DIR", scratch.toString());
        long started = System.nanoTime();
        try (Platform platform = new Platform(PlatformConfig.fromEnvironment(home, environment))) {
            platform.prepareServices();
            platform.startInfrastructure();
            platform.startServices();
        } finally {
            wipe(scratch);
        }
        LOG.info("startup caches recorded in {} s", String.format(Locale.ROOT, "%.1f",
                (System.nanoTime() - started) / 1e9));
        return 0;
    }

    private static void printUrls(PlatformConfig config, long millis, String apiKey) {
        int gateway = config.servicePorts().get("api-gateway");
        int edge = config.servicePorts().get("realtime-edge");
        String text = String.format(Locale.ROOT, """

                sipai is up (all services ready in %.1f s). Data: %s
                  console           http://127.0.0.1:%d/   (sign in with the admin API key below)
                  REST API          http://127.0.0.1:%d/v1   (health: /v1/health)
                  realtime voice    ws://127.0.0.1:%d/realtime/voice
                  Twilio stream     ws://127.0.0.1:%d/telephony/twilio/stream
                  jambonz listen    ws://127.0.0.1:%d/telephony/jambonz/listen
                  webhooks          http://127.0.0.1:%d
                  stream processors http://127.0.0.1:%d   (/admission/counters)
                  every service     /health  /health/ready  /metrics
                  logs              %s
                  admin API key     %s   (tenant "default"; also accepted on /realtime/voice)
                  try it            curl -H 'X-API-Key: %s' http://127.0.0.1:%d/v1/agents
                Press Ctrl-C to stop.
                """, millis / 1000.0, config.dataDir(), gateway, gateway, edge, edge, edge,
                config.servicePorts().get("webhook-dispatcher"), config.servicePorts().get("stream-processors"),
                config.dataDir().resolve("logs"), apiKey, apiKey, gateway);
        System.out.println(text);
    }

    private static void wipe(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        LOG.info("wiping {}", dataDir);
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
