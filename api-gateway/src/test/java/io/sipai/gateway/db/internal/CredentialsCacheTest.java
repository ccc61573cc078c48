package io.sipai.gateway.db.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the login is read again from its store: only after a refusal, once for a burst, at most once a period. */
class CredentialsCacheTest {

    private static final Duration MIN_REREAD = Duration.ofSeconds(2);

    private final AtomicLong clock = new AtomicLong();

    /** A store whose password the test sets, counting its reads. */
    private static final class Store implements CredentialsSource {
        final AtomicInteger reads = new AtomicInteger();
        volatile String password = "old";

        @Override
        public DbCredentials read() {
            reads.incrementAndGet();
            return new DbCredentials("sipai", password);
        }

        @Override
        public boolean rereadable() {
            return true;
        }

        @Override
        public String describe() {
            return "test store";
        }
    }

    @Test
    void givenARotatedStore_whenABurstOfConnectionsIsRefused_thenTheStoreIsReadOnceAndAllGetTheNewPassword()
            throws IOException {
        // given
        Store store = new Store();
        CredentialsCache cache = new CredentialsCache(store, MIN_REREAD, clock::get);
        DbCredentials old = cache.current();
        store.password = "new";
        clock.addAndGet(Duration.ofMinutes(10).toNanos());
        // when: ten connections opened with the old password are refused
        for (int i = 0; i < 10; i++) {
            // then
            assertThat(cache.afterRefusal(old).password()).isEqualTo("new");
        }
        assertThat(store.reads).hasValue(2);
        assertThat(cache.current().password()).isEqualTo("new");
    }

    @Test
    void givenAStoreStillHoldingTheRefusedPassword_whenRefusalsGoOn_thenItIsReadAtMostOncePerPeriod()
            throws IOException {
        // given
        Store store = new Store();
        CredentialsCache cache = new CredentialsCache(store, MIN_REREAD, clock::get);
        DbCredentials old = cache.current();
        clock.addAndGet(MIN_REREAD.toNanos());
        // when: refusals every 100 ms for 5 s
        for (int i = 0; i < 50; i++) {
            assertThat(cache.afterRefusal(old)).isEqualTo(old);
            clock.addAndGet(Duration.ofMillis(100).toNanos());
        }
        // then: the start's read, then one per 2 s
        assertThat(store.reads.get()).isBetween(3, 4);
        // and once the store is updated, the next read after the period gives the new password
        store.password = "new";
        clock.addAndGet(MIN_REREAD.toNanos());
        assertThat(cache.afterRefusal(old).password()).isEqualTo("new");
    }

    @Test
    void givenTheFixedDbPassword_whenItIsRefused_thenNothingIsReadAgain() throws IOException {
        CredentialsCache cache = new CredentialsCache(new FixedPassword("sipai", "pw"), MIN_REREAD, clock::get);
        clock.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(cache.afterRefusal(cache.current())).isEqualTo(new DbCredentials("sipai", "pw"));
    }

    @Test
    void givenAMissingPasswordFile_whenTheCacheStarts_thenTheFailureNamesTheSettingAndTheFile(@TempDir Path dir) {
        Path file = dir.resolve("absent");
        assertThatThrownBy(() -> new CredentialsCache(new PasswordFile("sipai", file), MIN_REREAD, clock::get))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot read DB_PASSWORD_FILE " + file + ": NoSuchFileException " + file);
    }

    @Test
    void givenAPasswordFileEndingInALineBreak_whenItIsRead_thenTheLineBreakIsNotPartOfThePassword(
            @TempDir Path dir) throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, "pä ss\r\n", StandardCharsets.UTF_8);
        assertThat(new PasswordFile("sipai", file).read()).isEqualTo(new DbCredentials("sipai", "pä ss"));
        assertThat(new DbCredentials("sipai", "pä ss").toString()).doesNotContain("pä ss");
    }
}
