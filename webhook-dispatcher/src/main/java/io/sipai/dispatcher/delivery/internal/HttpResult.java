package io.sipai.dispatcher.delivery.internal;

import java.util.Map;

/**
 * What an endpoint answered.
 *
 * @param status     HTTP status code
 * @param headers    response headers, names in lower case (last value wins)
 * @param bodyPrefix up to the first 1 KB of the body, as UTF-8 text
 */
public record HttpResult(int status, Map<String, String> headers, String bodyPrefix) {
}
