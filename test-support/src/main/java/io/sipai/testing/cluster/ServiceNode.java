package io.sipai.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sipai.startup.ExtractedJar;

/**
 * One instance of a sipai service as a real process started from the module's packaged jar
 * ({@code <module>/target/<module>-exec.jar}, built by the reactor before the tests that use it; run unpacked), on
 * its own HTTP port, logging to {@code <dir>/<name>.log}. A test starts it, waits for readiness, and kills, freezes
 * or restarts it like a failing host ({@link ChildProcess}).
 */
public final class ServiceNode {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    private ServiceNode(String name, int port, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * A node of {@code module} (e.g. {@code stream-processors}) named {@code name}, not started yet.
     *
     * @param environment the service's settings (KAFKA_BOOTSTRAP_SERVERS, ...); SERVER_PORT is added
     */
    public static ServiceNode of(String module, String name, Path dir, Map<String, String> environment) {
        Path jar = repositoryRoot().resolve(module).resolve("target").resolve(module + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the reactor builds it before these tests "
                    + "(./mvnw -pl " + module + " package)");
        }
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>(environment);
        env.put("SERVER_PORT", String.valueOf(port));
        env.putIfAbsent("LOG_LEVEL", "INFO");
        // Small, quick-starting JVMs: these tests run several on two cores (they measure behaviour, not speed). From
        // the extracted jar, as the launcher runs them: a start to ready takes about 40% less CPU.
        List<String> command = ChildProcess.java(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-Dfile.encoding=UTF-8",
                "-jar", extracted(jar).toString()));
        return new ServiceNode(name, port, new ChildProcess(name, command, env, dir.resolve(name + ".log")));
    }

    private static Path extracted(Path bootJar) {
        try {
            return ExtractedJar.of(bootJar, ChildProcess.javaExecutable());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + bootJar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository root: the nearest directory above the working directory that holds {@code mvnw}. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the sipai repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public ChildProcess process() {
        return process;
    }

    /** Base URL of its HTTP port. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public ServiceNode start() {
        process.start();
        return this;
    }

    /** Starts it and waits until {@code /health/ready} answers 200. */
    public ServiceNode startAndAwaitReady(Duration timeout) {
        start();
        awaitReady(timeout);
        return this;
    }

    /** Waits until {@code /health/ready} answers 200; fails naming the log when the process died or time ran out. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException(name + " exited; see " + process.logFile());
            }
            if (status("/health/ready") == 200) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + process.logFile());
    }

    /** The HTTP status of a GET on its port, or -1 when it does not answer within two seconds. */
    public int status(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(40));
    }

    @Override
    public String toString() {
        return name + " :" + port + " " + process;
    }
}
