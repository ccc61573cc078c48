package io.sipai.runtime.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.sipai.runtime.InvalidSettingException;
import io.sipai.testing.s3.LocalS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 recording store against a real S3-compatible server on loopback (S3Mock, its own JVM), through the store's
 * own client built from settings as realtime-edge and api-gateway build it: a long recording streamed as a multipart
 * upload while it is written (never more than two parts spooled locally), its header rewritten at the end, read
 * back whole and by range; a short one as one PUT; an abandoned one aborted; locations outside the store refused.
 */
class S3RecordingStoreTest {

    private static final String BUCKET = "recordings";
    private static final int PART = S3Upload.PART;

    @TempDir
    static Path directory;
    private static LocalS3 server;
    private static S3RecordingStore store;
    private static Path spool;

    @BeforeAll
    static void startServer() throws Exception {
        // The AWS default chain reads these, as it reads a task role's in production; S3Mock accepts any.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        server = LocalS3.start(BUCKET, directory);
        spool = directory.resolve("spool");
        store = S3RecordingStore.of(new RecordingStoreSettings("s3://" + BUCKET + "/calls", "eu-west-1",
                server.endpoint().toString(), null, null, spool.toString()));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRecordingOfSeveralPartsIsUploadedWhileWrittenAndReadsBackWithItsRewrittenHeader() throws Exception {
        // given a recording of two full parts and a bit, written in 32 KB chunks as the edge's writer does
        byte[] audio = pattern(2 * PART + 123_457);
        RecordingStore.Upload upload = store.create("acme", "call-long", "wav");
        for (int at = 0; at < audio.length; at += 32 * 1024) {
            upload.write(audio, at, Math.min(32 * 1024, audio.length - at));
            // then no more than the first part and the one being filled are ever spooled locally
            assertThat(spooledBytes()).isLessThanOrEqualTo(2L * PART);
        }

        // and the second part is in S3 before the recording ends
        List<MultipartUpload> open = client().listMultipartUploads(r -> r.bucket(BUCKET)).uploads();
        assertThat(open).extracting(MultipartUpload::key).contains("calls/acme/call-long.wav");
        String uploadId = open.stream().filter(u -> u.key().equals("calls/acme/call-long.wav")).findFirst()
                .orElseThrow().uploadId();
        assertThat(client().listParts(r -> r.bucket(BUCKET).key("calls/acme/call-long.wav").uploadId(uploadId))
                .parts()).hasSize(1);

        // when the header is rewritten and the recording completed
        byte[] header = "RIFF-header-with-the-final-lengths-00000000".getBytes(StandardCharsets.US_ASCII);
        upload.rewrite(0, header);
        String location = upload.complete();
        System.arraycopy(header, 0, audio, 0, header.length);

        // then it is one encrypted object with every byte, whole and across part boundaries, and nothing is spooled
        assertThat(location).isEqualTo("s3://recordings/calls/acme/call-long.wav");
        RecordingStore.Stored stored = store.open(location).orElseThrow();
        assertThat(stored.size()).isEqualTo(audio.length);
        assertThat(read(stored, 0, audio.length - 1)).isEqualTo(audio);
        assertThat(read(stored, PART - 10, PART + 9)).isEqualTo(Arrays.copyOfRange(audio, PART - 10, PART + 10));
        assertThat(read(stored, 2L * PART, audio.length - 1))
                .isEqualTo(Arrays.copyOfRange(audio, 2 * PART, audio.length));
        assertThat(spooledBytes()).isZero();
        assertThat(client().listMultipartUploads(r -> r.bucket(BUCKET)).uploads()).extracting(MultipartUpload::key)
                .doesNotContain("calls/acme/call-long.wav");
    }

    @Test
    void aShortRecordingIsOnePutAndCanBeDeleted() throws Exception {
        // given
        byte[] audio = pattern(70_000);
        RecordingStore.Upload upload = store.create("acme", "call-short", "wav");
        upload.write(audio, 0, audio.length);

        // when
        String location = upload.complete();

        // then it is encrypted at rest as asked, reads back by range, and can be deleted (twice: gone is fine)
        assertThat(read(store.open(location).orElseThrow(), 100, 199)).isEqualTo(Arrays.copyOfRange(audio, 100, 200));
        HeadObjectResponse head = client().headObject(r -> r.bucket(BUCKET).key("calls/acme/call-short.wav"));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        store.delete(location);
        assertThat(store.open(location)).isEmpty();
        store.delete(location);
    }

    @Test
    void anUploadClosedBeforeItCompletesLeavesNoObjectNoOpenUploadAndNoSpool() throws Exception {
        // given a recording past its first part (the multipart upload has begun)
        byte[] audio = pattern(2 * PART + 10);
        RecordingStore.Upload upload = store.create("acme", "call-dropped", "wav");
        upload.write(audio, 0, audio.length);

        // when it is dropped (the recording failed)
        upload.close();

        // then
        assertThat(store.open("s3://recordings/calls/acme/call-dropped.wav")).isEmpty();
        assertThat(client().listMultipartUploads(r -> r.bucket(BUCKET)).uploads()).extracting(MultipartUpload::key)
                .doesNotContain("calls/acme/call-dropped.wav");
        assertThat(spooledBytes()).isZero();
    }

    @Test
    void locationsOutsideTheStoresBucketAndPrefixAreNeitherOpenedNorDeleted() throws Exception {
        // given an object of the store
        RecordingStore.Upload upload = store.create("acme", "call-kept", "wav");
        upload.write(pattern(10), 0, 10);
        upload.complete();

        // when / then
        for (String other : List.of("s3://other-bucket/calls/acme/call-kept.wav", "s3://recordings/elsewhere/x.wav",
                "s3://recordings/calls/../calls/acme/call-kept.wav", "file:/etc/passwd", "s3://recordings/calls/",
                "not a uri")) {
            assertThat(store.open(other)).as(other).isEmpty();
            assertThatThrownBy(() -> store.delete(other)).as(other).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.open("s3://recordings/calls/acme/call-kept.wav")).isPresent();
        assertThatThrownBy(() -> store.create("acme", "../x", "wav")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spoolFilesOfRecordingsThatWereNeverCompletedAreSweptOnceOld() throws Exception {
        // given what a killed edge left: one old spool file and one being written now
        Files.createDirectories(spool.resolve("acme"));
        Path old = Files.write(spool.resolve("acme/call-dead.wav.first"), new byte[10]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3 * 86_400)));
        Path fresh = Files.write(spool.resolve("acme/call-live.wav.first"), new byte[10]);

        // when
        int swept = store.deleteAbandoned(Instant.now().minusSeconds(86_400), 100);

        // then
        assertThat(swept).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
        Files.delete(fresh);
    }

    @Test
    void badStoreSettingsAreRefusedWithTheVariableNamed() {
        assertThatThrownBy(() -> new RecordingStoreSettings("s3:///no-bucket", null, null, null, null, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("RECORDINGS_STORE");
        assertThatThrownBy(() -> new RecordingStoreSettings("s3://b/p", null, null, "rot13", null, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("RECORDINGS_S3_SSE");
        assertThatThrownBy(() -> new RecordingStoreSettings("s3://b/p", null, "localhost:9000", null, null, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("RECORDINGS_S3_ENDPOINT");
        RecordingStoreSettings s3 = new RecordingStoreSettings("s3://b/a/b", null, null, null, null, null);
        assertThat(s3.s3()).isTrue();
        assertThat(s3.bucket()).isEqualTo("b");
        assertThat(s3.prefix()).isEqualTo("a/b/");
        assertThat(new RecordingStoreSettings("s3://b", null, null, null, null, null).prefix()).isEmpty();
    }

    private static S3Client client() {
        return store.client();
    }

    private static long spooledBytes() throws IOException {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(spool)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static byte[] read(RecordingStore.Stored stored, long first, long last) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stored.copy(first, last, out);
        return out.toByteArray();
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 12));
        }
        return bytes;
    }
}
