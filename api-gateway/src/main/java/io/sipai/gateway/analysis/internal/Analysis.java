package io.sipai.gateway.analysis.internal;

/**
 * What an analyzer made of a call.
 *
 * @param summary            what happened
 * @param structuredDataJson the data asked for as a JSON object text, or null when none is asked for
 * @param success            whether the call met the success criteria
 * @param successReason      why
 * @param engine             openai:<model> or offline
 */
record Analysis(String summary, String structuredDataJson, Boolean success, String successReason, String engine) {
}
