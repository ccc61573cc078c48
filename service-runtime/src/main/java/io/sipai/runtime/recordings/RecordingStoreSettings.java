package io.sipai.runtime.recordings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where call recordings are kept (prefix {@code recordings}); realtime-edge writes them and api-gateway serves and
 * deletes them, so both must name the same store.
 *
 * @param store {@code RECORDINGS_STORE}: a {@code file:} URI of a directory shared by realtime-edge and api-gateway
 *              (e.g. {@code file:/var/lib/sipai/recordings}); unset, no call is recorded and agents asking for
 *              recordings get none (the one-machine run sets it to {@code data/recordings})
 */
@ConfigurationProperties("recordings")
public record RecordingStoreSettings(String store) {

    /** The variable of {@link #store()}. */
    public static final String STORE_VARIABLE = "RECORDINGS_STORE";

    public RecordingStoreSettings {
        store = store == null || store.isBlank() ? null : store.strip();
        if (store != null) {
            directory(store);
        }
    }

    /** Whether a store is configured. */
    public boolean configured() {
        return store != null;
    }

    /** The store's directory; only when {@link #configured()}. */
    public Path directory() {
        return directory(store);
    }

    private static Path directory(String store) {
        URI uri;
        try {
            uri = new URI(store);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(STORE_VARIABLE, "is not a URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file") || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new InvalidSettingException(STORE_VARIABLE, "must be a file: URI of an absolute directory, e.g. "
                    + "file:/var/lib/sipai/recordings; was " + store);
        }
        return Path.of(uri.getPath()).normalize();
    }
}
