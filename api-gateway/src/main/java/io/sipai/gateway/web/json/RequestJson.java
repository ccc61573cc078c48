package io.sipai.gateway.web.json;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mapper every request body is read with (see {@link StrictJson}): the message converter of the REST API uses
 * it, and so do controllers that read a body themselves (the jambonz webhooks). The application's own mapper stays
 * as it is for everything else, e.g. reading back what the gateway stored.
 */
@Component
public class RequestJson {

    private final JsonMapper mapper;

    public RequestJson(JsonMapper applicationMapper) {
        this.mapper = StrictJson.strict(applicationMapper);
    }

    public JsonMapper mapper() {
        return mapper;
    }
}
