package io.sipai.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Searches every file under a directory for secrets in clear (and for one marker known to be there, so a search
 * that read nothing cannot pass): Kafka's segments, PostgreSQL's data directory with its WAL, Streams state, journals
 * and logs, read as bytes. Kafka's offset, time and transaction indexes are left out: they hold only offsets, file
 * positions, timestamps and producer ids, and, preallocated at 10 MB each, were 13 of the 13.1 GB a search read.
 *
 * @param files         every regular file searched
 * @param bytes         how many bytes they hold
 * @param found         "secret name in relative path" for each secret found in clear
 * @param holdingMarker the files (relative) that hold the marker
 */
public record SecretScan(List<Path> files, long bytes, List<String> found, List<Path> holdingMarker) {

    private static final byte[] ZEROS = new byte[64 * 1024];
    /** A Kafka segment's index files: {@code 00000000000000000000.index}, {@code .timeindex}, {@code .txnindex}. */
    private static final Pattern KAFKA_INDEX = Pattern.compile("\\d{20}\\.(index|timeindex|txnindex)");

    /** Searches every file under {@code root} for each of {@code secrets} (name to value) and for {@code marker}. */
    public static SecretScan of(Path root, Map<String, String> secrets, String marker) {
        List<Path> files = files(root);
        List<String> found = new ArrayList<>();
        List<Path> holdingMarker = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            byte[] content = read(file);
            bytes += content.length;
            String text = new String(content, 0, writtenLength(content), StandardCharsets.ISO_8859_1);
            if (text.contains(marker)) {
                holdingMarker.add(root.relativize(file));
            }
            secrets.forEach((name, value) -> {
                if (text.contains(value)) {
                    found.add(name + " in " + root.relativize(file));
                }
            });
        }
        return new SecretScan(files, bytes, found, holdingMarker);
    }

    private static List<Path> files(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(file -> !KAFKA_INDEX.matcher(file.getFileName().toString())
                    .matches()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The length without the zeros at the end: Kafka's indexes and PostgreSQL's WAL segments are preallocated and
     * zero-filled past what was written (most of the bytes searched), and zeros hold no secret.
     */
    private static int writtenLength(byte[] content) {
        int end = content.length;
        while (end > 0) {
            int from = Math.max(0, end - ZEROS.length);
            if (Arrays.mismatch(content, from, end, ZEROS, 0, end - from) >= 0) {
                return end;
            }
            end = from;
        }
        return 0;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
