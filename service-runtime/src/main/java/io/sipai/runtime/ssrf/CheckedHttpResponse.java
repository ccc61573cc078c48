package io.sipai.runtime.ssrf;

import java.util.Map;

/**
 * What an endpoint answered to a {@link CheckedHttpConnection#post}.
 *
 * @param status  HTTP status code
 * @param headers response headers, names in lower case (last value wins)
 * @param body    the start of the body as UTF-8 text, at most the connection's kept bytes
 */
public record CheckedHttpResponse(int status, Map<String, String> headers, String body) {
}
