package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class-data cache flags a service start gets. */
class StartupCacheTest {

    @TempDir
    Path target;

    @Test
    void beforeJdk25ADynamicClassDataArchiveIsCreatedAtExitAndUsedAfterwards() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "JDK 25+ uses ahead-of-time caches");
        Path jar = Files.writeString(target.resolve("svc.jar"), "jar");
        assertThat(StartupCache.flags("svc", jar, Map.of())).contains("-XX:+AutoCreateSharedArchive");
    }

    @Test
    void theFirstStartOfAJarRecordsItsCacheAndLaterStartsUseIt() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "ahead-of-time caches need JDK 25");
        // given a jar without a cache
        Path jar = Files.writeString(target.resolve("svc.jar"), "jar");
        // when it starts
        List<String> first = StartupCache.flags("svc", jar, Map.of());
        // then the JVM records the cache (JDK 25+: ahead-of-time cache), and a later start uses what it wrote
        assertThat(first).singleElement().asString().startsWith("-XX:AOTCacheOutput=" + target.resolve("svc-"));
        Path cache = Path.of(first.getFirst().substring("-XX:AOTCacheOutput=".length()));
        Files.writeString(cache, "cache");
        assertThat(StartupCache.flags("svc", jar, Map.of())).containsExactly("-XX:AOTCache=" + cache);
    }

    @Test
    void aRebuiltJarRecordsAnewAndTheOldCacheIsDeleted() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "ahead-of-time caches need JDK 25");
        Path jar = Files.writeString(target.resolve("svc.jar"), "jar");
        String recorded = StartupCache.flags("svc", jar, Map.of()).getFirst();
        Path old = Files.writeString(Path.of(recorded.substring(recorded.indexOf('=') + 1)), "cache");

        Files.writeString(jar, "a rebuilt, longer jar");

        assertThat(StartupCache.flags("svc", jar, Map.of())).singleElement().asString()
                .startsWith("-XX:AOTCacheOutput=");
        assertThat(old).doesNotExist();
    }

    @Test
    void theCacheCanBeTurnedOff() throws Exception {
        Path jar = Files.writeString(target.resolve("svc.jar"), "jar");
        assertThat(StartupCache.flags("svc", jar, Map.of(StartupCache.SETTING, "off"))).isEmpty();
    }
}
