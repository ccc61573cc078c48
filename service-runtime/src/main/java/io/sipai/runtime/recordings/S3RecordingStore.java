package io.sipai.runtime.recordings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

import io.sipai.runtime.InvalidSettingException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Recordings in an S3 bucket ({@code RECORDINGS_STORE=s3://bucket/prefix}), one object per call:
 * {@code <prefix><tenantId>/<callId>.<extension>}, written while the call runs as a multipart upload from a small
 * local spool ({@link S3Upload}), encrypted at rest ({@code RECORDINGS_S3_SSE}), read back by byte range. An object
 * appears only when its recording is complete; the uploads of an edge that died are aborted by the bucket's
 * lifecycle rule (the Terraform sets one day) and their spool files by {@link #deleteAbandoned}. Locations are
 * {@code s3://bucket/key} URIs, and only keys under this store's bucket and prefix are opened or deleted.
 * Thread-safe (the SDK's client is).
 */
public final class S3RecordingStore implements RecordingStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ServerSideEncryption encryption;
    private final String kmsKeyId;
    private final Path spool;

    S3RecordingStore(S3Client s3, String bucket, String prefix, ServerSideEncryption encryption, String kmsKeyId,
                     Path spool) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.encryption = encryption;
        this.kmsKeyId = kmsKeyId;
        this.spool = spool.toAbsolutePath().normalize();
    }

    /** The store the settings name; builds its S3 client (credentials from the AWS default chain). */
    public static S3RecordingStore of(RecordingStoreSettings settings) {
        S3ClientBuilder client = S3Client.builder();
        if (settings.s3Region() != null) {
            client.region(Region.of(settings.s3Region()));
        }
        if (settings.s3Endpoint() != null) {
            // S3-compatible servers (MinIO, S3Mock) address buckets in the path, not in the host name.
            client.endpointOverride(URI.create(settings.s3Endpoint())).forcePathStyle(true);
        }
        S3Client s3;
        try {
            s3 = client.build();
        } catch (SdkClientException e) {
            throw new InvalidSettingException("RECORDINGS_S3_REGION", "is not set and the AWS default chain names no "
                    + "region (" + e.getMessage() + ")");
        }
        return new S3RecordingStore(s3, settings.bucket(), settings.prefix(),
                ServerSideEncryption.fromValue(settings.s3Sse()), settings.s3KmsKeyId(), Path.of(settings.spoolDir()));
    }

    @Override
    public Upload create(String tenantId, String callId, String extension) {
        RecordingStore.requireSafeNames(tenantId, callId, extension);
        String name = callId + "." + extension;
        return new S3Upload(this, prefix + tenantId + "/" + name, spool.resolve(tenantId).resolve(name));
    }

    @Override
    public Optional<Stored> open(String location) {
        return key(location).flatMap(key -> {
            try {
                HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(key));
                return Optional.of(new StoredObject(key, head.contentLength()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public void delete(String location) {
        String key = key(location).orElseThrow(() -> new IllegalArgumentException(
                "not a location of the store s3://" + bucket + "/" + prefix + ": " + location));
        s3.deleteObject(request -> request.bucket(bucket).key(key));
    }

    /** Deletes local spool files of recordings that were never completed (the bucket's lifecycle rule aborts their uploads). */
    @Override
    public int deleteAbandoned(Instant before, int limit) {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.walk(spool, 2).filter(Files::isRegularFile)) {
            for (Path file : (Iterable<Path>) files.limit(limit * 10L)::iterator) {
                if (deleted < limit && Files.getLastModifiedTime(file).toInstant().isBefore(before)
                        && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + spool, e);
        }
        return deleted;
    }

    /** The key of one of this store's locations: {@code s3://<bucket>/<prefix>...} with no way out of the prefix. */
    private Optional<String> key(String location) {
        try {
            URI uri = URI.create(location);
            if (!"s3".equals(uri.getScheme()) || !bucket.equals(uri.getHost()) || uri.getPath() == null) {
                return Optional.empty();
            }
            String key = uri.getPath().substring(1);
            boolean plain = Arrays.stream(key.split("/", -1)).noneMatch(s -> s.isEmpty() || s.equals(".")
                    || s.equals(".."));
            return plain && key.startsWith(prefix) ? Optional.of(key) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    S3Client client() {
        return s3;
    }

    String bucket() {
        return bucket;
    }

    ServerSideEncryption encryption() {
        return encryption;
    }

    /** The KMS key of {@code aws:kms}, or null for the bucket's own. */
    String kmsKeyId() {
        return encryption == ServerSideEncryption.AWS_KMS ? kmsKeyId : null;
    }

    /** An object read by ranged GETs. */
    private final class StoredObject implements Stored {

        private final String key;
        private final long size;

        private StoredObject(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void copy(long first, long last, OutputStream out) throws IOException {
            try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request -> request.bucket(bucket)
                    .key(key).range("bytes=" + first + "-" + last))) {
                object.transferTo(out);
            }
        }
    }
}
