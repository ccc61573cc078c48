package io.sipai.runtime.recordings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where call recordings are kept (prefix {@code recordings}); realtime-edge writes them and api-gateway serves and
 * deletes them, so both must name the same store.
 *
 * @param store      {@code RECORDINGS_STORE}: a {@code file:} URI of a directory shared by realtime-edge and
 *                   api-gateway (e.g. {@code file:/var/lib/sipai/recordings}), or an {@code s3://bucket/prefix} URI
 *                   of an S3 bucket (credentials from the AWS default chain: the task or pod role); unset, no call is
 *                   recorded and agents asking for recordings get none (the one-machine run sets it to
 *                   {@code data/recordings})
 * @param s3Region   {@code RECORDINGS_S3_REGION}: the bucket's AWS region (default: the AWS default chain, e.g.
 *                   {@code AWS_REGION})
 * @param s3Endpoint {@code RECORDINGS_S3_ENDPOINT}: another S3-compatible endpoint (e.g. {@code http://minio:9000}),
 *                   addressed path-style; unset, AWS's own
 * @param s3Sse      {@code RECORDINGS_S3_SSE}: server-side encryption asked for on every object, {@code AES256}
 *                   (default) or {@code aws:kms}
 * @param s3KmsKeyId {@code RECORDINGS_S3_KMS_KEY_ID}: the KMS key of {@code aws:kms} (default: the bucket's key)
 * @param spoolDir   {@code RECORDINGS_SPOOL_DIR}: where realtime-edge keeps the pieces of S3 recordings not uploaded
 *                   yet, at most 10 MiB per call (default: a directory under the system's temporary directory)
 */
@ConfigurationProperties("recordings")
public record RecordingStoreSettings(String store, String s3Region, String s3Endpoint, String s3Sse,
                                     String s3KmsKeyId, String spoolDir) {

    /** The variable of {@link #store()}. */
    public static final String STORE_VARIABLE = "RECORDINGS_STORE";
    private static final Set<String> ENCRYPTIONS = Set.of("AES256", "aws:kms");

    public RecordingStoreSettings {
        store = blankToNull(store);
        s3Region = blankToNull(s3Region);
        s3Endpoint = blankToNull(s3Endpoint);
        s3Sse = s3Sse == null || s3Sse.isBlank() ? "AES256" : s3Sse.strip();
        s3KmsKeyId = blankToNull(s3KmsKeyId);
        spoolDir = spoolDir == null || spoolDir.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "sipai-recordings-spool").toString() : spoolDir.strip();
        if (store != null) {
            location(store);
        }
        if (!ENCRYPTIONS.contains(s3Sse)) {
            throw new InvalidSettingException("RECORDINGS_S3_SSE", "must be AES256 or aws:kms; was " + s3Sse);
        }
        if (s3Endpoint != null) {
            URI endpoint = URI.create(s3Endpoint);
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new InvalidSettingException("RECORDINGS_S3_ENDPOINT", "must be an http(s) URL; was " + s3Endpoint);
            }
        }
    }

    /** Whether a store is configured. */
    public boolean configured() {
        return store != null;
    }

    /** Whether the store is an S3 bucket. */
    public boolean s3() {
        return configured() && location(store).getScheme().equalsIgnoreCase("s3");
    }

    /** The store's directory; only for a {@code file:} store. */
    public Path directory() {
        return Path.of(location(store).getPath()).normalize();
    }

    /** The bucket of an {@code s3://} store. */
    public String bucket() {
        return location(store).getHost();
    }

    /** The key prefix of an {@code s3://} store: empty, or ending in {@code /}. */
    public String prefix() {
        String path = location(store).getPath();
        String prefix = path == null ? "" : path.replaceAll("^/+", "");
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static URI location(String store) {
        URI uri;
        try {
            uri = new URI(store);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(STORE_VARIABLE, "is not a URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean file = scheme.equals("file") && uri.getPath() != null && uri.getPath().startsWith("/");
        boolean s3 = scheme.equals("s3") && uri.getHost() != null;
        if (!file && !s3) {
            throw new InvalidSettingException(STORE_VARIABLE, "must be a file: URI of an absolute directory (e.g. "
                    + "file:/var/lib/sipai/recordings) or an s3://bucket/prefix URI; was " + store);
        }
        return uri;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
