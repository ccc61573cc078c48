package io.sipai.testing.s3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sipai.testing.cluster.ChildProcess;
import io.sipai.testing.cluster.FreePorts;

/**
 * A real S3-compatible server on loopback for tests: Adobe's S3Mock, run from its executable jar (system property
 * {@code sipai.s3mock.jar}, copied into the module's target directory by the build) as a JVM of its own, with one
 * bucket made at start. It speaks S3's REST protocol (multipart uploads, ranged GETs, server-side encryption headers)
 * and accepts any credentials; buckets are addressed path-style.
 */
public final class LocalS3 implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private LocalS3(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server with {@code bucket}, its data under {@code directory}; returns once it answers. */
    public static LocalS3 start(String bucket, Path directory) throws IOException, InterruptedException {
        String jar = System.getProperty("sipai.s3mock.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no S3Mock jar at sipai.s3mock.jar=" + jar + ": run the tests through "
                    + "Maven, which copies it into target/s3mock");
        }
        int port = FreePorts.next();
        ChildProcess process = new ChildProcess("s3mock", ChildProcess.java(List.of("-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar,
                "--com.adobe.testing.s3mock.http-port=" + port, "--server.port=" + FreePorts.next(),
                "--com.adobe.testing.s3mock.store.initial-buckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + directory.resolve("store"),
                "--spring.main.banner-mode=off")), Map.of(), directory.resolve("s3mock.log"));
        process.start();
        LocalS3 server = new LocalS3(process, port);
        server.awaitAnswer(Duration.ofSeconds(60));
        return server;
    }

    /** The server's endpoint, for {@code RECORDINGS_S3_ENDPOINT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    private void awaitAnswer(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.alive()) {
                throw new IllegalStateException("S3Mock exited: " + process.describe(30));
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("S3Mock did not answer within " + timeout + ": " + process.describe(30));
    }

    @Override
    public void close() {
        process.kill();
    }
}
