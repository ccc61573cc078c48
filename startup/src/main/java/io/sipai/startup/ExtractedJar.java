package io.sipai.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service's Spring Boot jar unpacked into a plain jar plus its libraries ({@code java -Djarmode=tools extract}).
 * Classes load faster from plain jars than from jars nested in one, and only classes of plain class-path jars go
 * into the JVM's class-data cache, so the one-machine run and the tests that run services as processes start them from
 * there (a service's start to ready: about 40% less CPU than from its Spring Boot jar). The extraction lives next to
 * the jar in {@code target/} and is redone only when the jar changed; concurrent callers in one JVM extract once
 * (two JVMs that extract the same jar at once, e.g. the launcher and a test run, are not guarded against).
 */
public final class ExtractedJar {

    private static final String STAMP = ".extracted-from";
    private static final ConcurrentMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private ExtractedJar() {
    }

    /** The runnable plain jar extracted from {@code bootJar}, extracting it first when missing or stale. */
    public static Path of(Path bootJar, String java) throws IOException, InterruptedException {
        synchronized (LOCKS.computeIfAbsent(bootJar.toAbsolutePath().normalize(), jar -> new Object())) {
            return extracted(bootJar, java);
        }
    }

    private static Path extracted(Path bootJar, String java) throws IOException, InterruptedException {
        Path destination = bootJar.resolveSibling(fileName(bootJar).replace(".jar", "-extracted"));
        Path runnable = destination.resolve(fileName(bootJar));
        String stamp = String.format(Locale.ROOT, "%d-%d", Files.size(bootJar),
                Files.getLastModifiedTime(bootJar).toMillis());
        Path stampFile = destination.resolve(STAMP);
        if (Files.isRegularFile(runnable) && Files.isRegularFile(stampFile)
                && stamp.equals(Files.readString(stampFile, StandardCharsets.UTF_8))) {
            return runnable;
        }
        deleteTree(destination);
        Path output = Files.createTempFile("sipai-extract-", ".log");
        Process extract = new ProcessBuilder(List.of(java, "-Djarmode=tools", "-jar", bootJar.toString(), "extract",
                "--destination", destination.toString())).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        try {
            if (!extract.waitFor(2, TimeUnit.MINUTES) || extract.exitValue() != 0
                    || !Files.isRegularFile(runnable)) {
                throw new IllegalStateException("cannot extract " + bootJar + " (java -Djarmode=tools -jar ... "
                        + "extract): " + Files.readString(output, StandardCharsets.UTF_8).strip());
            }
        } finally {
            extract.destroyForcibly();
            Files.deleteIfExists(output);
        }
        Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
        return runnable;
    }

    private static String fileName(Path path) {
        return path.getFileName().toString();
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
