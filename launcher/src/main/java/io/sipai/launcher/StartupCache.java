package io.sipai.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Class-data caches that make a service JVM start faster on this machine: on JDK 25+ an ahead-of-time cache
 * (JEP 483/514: classes loaded and linked, profiles), on JDK 19-24 a dynamic CDS archive. The first start of a
 * service jar records the cache (written when the service exits); every later start of the same jar uses it. A cache
 * lives next to its jar in {@code target/} (named after the jar's size and time, so a rebuilt jar records anew and
 * {@code mvn clean} removes it); caches of earlier builds are deleted. {@code SIPAI_STARTUP_CACHE=off} runs without
 * one (the platform tests do: recording slows a run that happens once).
 */
final class StartupCache {

    private StartupCache() {
    }

    /** Environment variable that turns the caches off ({@code off}). */
    static final String SETTING = "SIPAI_STARTUP_CACHE";

    /** JVM flags that use {@code jar}'s cache, or record it when there is none yet. */
    static List<String> flags(String service, Path jar, Map<String, String> environment) {
        if ("off".equalsIgnoreCase(environment.getOrDefault(SETTING, "on").strip())) {
            return List.of();
        }
        int feature = Runtime.version().feature();
        try {
            String stamp = String.format(Locale.ROOT, "%s-%x-%x", service, Files.size(jar),
                    Files.getLastModifiedTime(jar).toMillis());
            Path dir = jar.getParent();
            if (feature >= 25) {
                Path cache = dir.resolve(stamp + ".aot");
                deleteOthers(dir, service + "-", ".aot", cache);
                return Files.isRegularFile(cache) ? List.of("-XX:AOTCache=" + cache)
                        : List.of("-XX:AOTCacheOutput=" + cache);
            }
            Path archive = dir.resolve(stamp + ".jsa");
            deleteOthers(dir, service + "-", ".jsa", archive);
            return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static void deleteOthers(Path dir, String prefix, String suffix, Path keep) throws IOException {
        try (DirectoryStream<Path> caches = Files.newDirectoryStream(dir, prefix + "*" + suffix)) {
            for (Path cache : caches) {
                if (!cache.equals(keep)) {
                    Files.deleteIfExists(cache);
                }
            }
        }
    }
}
