package io.sipai.gateway.web.json;

import io.sipai.gateway.web.StorableText;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;

/** Refuses a map key (e.g. of {@code metadata} or provider {@code options}) that cannot be stored. */
final class StorableKeyDeserializer extends KeyDeserializer {

    @Override
    public Object deserializeKey(String key, DeserializationContext context) {
        if (StorableText.firstUnstorable(key) >= 0) {
            throw new UnstorableTextException(context.getParser(), key);
        }
        return key;
    }
}
