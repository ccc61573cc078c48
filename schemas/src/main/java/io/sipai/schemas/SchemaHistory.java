package io.sipai.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

/**
 * Every released version of every top-level schema, as kept under {@code src/main/resources/schema-history}.
 * A released version is never edited or removed: decoders register all of them, so a record written by any
 * release still decodes. The files are listed in {@code schema-history/index.txt} because a directory inside a jar
 * cannot be listed portably.
 */
public final class SchemaHistory {

    /** Classpath folder of the history. */
    public static final String ROOT = "schema-history/";
    private static final String INDEX = ROOT + "index.txt";

    private static final Map<String, List<Version>> VERSIONS = load();

    /** One released version of a schema. */
    public record Version(String fullName, int number, Schema schema, String resource) {
    }

    private SchemaHistory() {
    }

    /** Released versions of the named schema, oldest first; empty when it has never been released. */
    public static List<Version> versions(String fullName) {
        return VERSIONS.getOrDefault(fullName, List.of());
    }

    /** Full names of all schemas with a history. */
    public static List<String> schemaNames() {
        return List.copyOf(VERSIONS.keySet());
    }

    private static Map<String, List<Version>> load() {
        Map<String, List<Version>> byName = new LinkedHashMap<>();
        for (String resource : readLines(INDEX)) {
            Version version = parse(resource);
            byName.computeIfAbsent(version.fullName(), name -> new ArrayList<>()).add(version);
        }
        byName.values().forEach(list -> list.sort(Comparator.comparingInt(Version::number)));
        byName.replaceAll((name, list) -> List.copyOf(list));
        return Map.copyOf(byName);
    }

    /** Parses {@code <fullName>/v<N>.avsc}. */
    static Version parse(String resource) {
        int slash = resource.lastIndexOf('/');
        if (slash < 1 || !resource.startsWith("v", slash + 1) || !resource.endsWith(".avsc")) {
            throw new IllegalStateException("schema history entry must look like <fullName>/v<N>.avsc: " + resource);
        }
        String fullName = resource.substring(0, slash);
        int number = Integer.parseInt(resource.substring(slash + 2, resource.length() - ".avsc".length()));
        Schema schema;
        try (InputStream in = open(ROOT + resource)) {
            schema = new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + resource, e);
        }
        if (!schema.getFullName().equals(fullName)) {
            throw new IllegalStateException(resource + " holds " + schema.getFullName() + ", not " + fullName);
        }
        return new Version(fullName, number, schema, resource);
    }

    private static List<String> readLines(String resource) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("missing classpath resource " + resource);
        }
        return in;
    }
}
