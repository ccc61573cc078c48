package io.sipai.schemas;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place that decides how sipai records are put on the wire. Today: Avro single-object encoding with the
 * schema history in this jar ({@link AvroSerde}); a schema-registry-backed serde would be chosen here, so no
 * caller changes when it is.
 */
public final class EventSerdes {

    /** Package prefix of every generated class; Avro only instantiates classes it trusts. */
    public static final String GENERATED_PACKAGES = "io.sipai";

    private static final Map<Class<?>, AvroSerde<?>> SERDES = new ConcurrentHashMap<>();

    static {
        // Builder.add(String) trusts one class name, not a package: trust the generated packages by prefix.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> type.getName().startsWith(GENERATED_PACKAGES + ".")));
    }

    private EventSerdes() {
    }

    /** The shared serde for a generated Avro class. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        return (Serde<T>) SERDES.computeIfAbsent(type, key -> new AvroSerde<>(type));
    }
}
