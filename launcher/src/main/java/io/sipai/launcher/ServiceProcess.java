package io.sipai.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One sipai service running as a child process from its (extracted) Spring Boot jar, logging (JSON) to its own file. The child
 * gets its own session ({@code setsid}) so Ctrl-C in the terminal reaches only the launcher, which then stops the
 * services in order.
 */
final class ServiceProcess {

    /** Extra JVM options for every service process of the one-machine run, space-separated. */
    static final String JVM_OPTIONS = "SIPAI_SERVICE_JVM_OPTIONS";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port;
    private final Path jar;
    private final Path logFile;
    private Process process;

    ServiceProcess(String name, int port, Path jar, Path logFile) {
        this.name = name;
        this.port = port;
        this.jar = jar;
        this.logFile = logFile;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path logFile() {
        return logFile;
    }

    void start(Map<String, String> environment) throws IOException {
        Files.createDirectories(logFile.getParent());
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(javaExecutable());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                "--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8"));
        command.addAll(StartupCache.flags(name, jar, environment));
        String extra = environment.get(JVM_OPTIONS);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        process = builder.start();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Exit status once the process died, else -1. */
    int exitValue() {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }

    boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        signalStop();
        awaitStopped(grace);
    }

    /** SIGTERM: the service begins its graceful stop. */
    void signalStop() {
        if (process != null && process.isAlive()) {
            process.destroy();
        }
    }

    /** Waits for the stop {@link #signalStop()} began; SIGKILL after {@code grace}. */
    void awaitStopped(Duration grace) throws InterruptedException {
        if (process != null && !process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
