package io.sipai.gateway.web.json;

import java.time.Instant;
import java.util.function.Consumer;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON mapper request bodies are read with: the application's mapper with every Jackson coercion turned off
 * (a value must have the JSON type of its field: no scalar to string, number to boolean or back, string to number,
 * float to integer, empty string to null or enum, number to enum, single value to array) and every string checked
 * for text that cannot be stored. An integer for a float field stays accepted: JSON has one number type.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** A copy of {@code base} (its modules and settings) that reads strictly; writing is unchanged. */
    public static JsonMapper strict(JsonMapper base) {
        return base.rebuild().addModule(module())
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                        DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                        DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
                        DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT,
                        DeserializationFeature.ACCEPT_EMPTY_ARRAY_AS_NULL_OBJECT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfigDefaults(all -> all.setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Textual, fail(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Integer, fail(CoercionInputShape.String, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Float, fail(CoercionInputShape.String, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Boolean, fail(CoercionInputShape.String, CoercionInputShape.Integer,
                        CoercionInputShape.Float))
                .withCoercionConfig(LogicalType.Enum, fail(CoercionInputShape.Integer, CoercionInputShape.Float,
                        CoercionInputShape.Boolean))
                .build();
    }

    /** Deserializers for every kind of text a body holds: string values, map keys, free-form JSON, instants. */
    static SimpleModule module() {
        return new SimpleModule("sipai-strict-request-json")
                .addDeserializer(String.class, new StorableStringDeserializer())
                .addKeyDeserializer(String.class, new StorableKeyDeserializer())
                .addDeserializer(JsonNode.class, new StorableTreeDeserializer())
                .addDeserializer(Instant.class, new RfcTimeDeserializer());
    }

    private static Consumer<MutableCoercionConfig> fail(CoercionInputShape... shapes) {
        return config -> {
            for (CoercionInputShape shape : shapes) {
                config.setCoercion(shape, CoercionAction.Fail);
            }
        };
    }
}
