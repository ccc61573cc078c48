package io.sipai.edge.telephony;

/**
 * How a provider knows one of its calls, as its media stream told the edge at start; what a transfer addresses.
 *
 * @param callId         sipai's call id
 * @param providerCallId the provider's id of the call (Twilio {@code CallSid}, jambonz {@code callSid}), or null
 * @param accountId      the provider account the call belongs to, or null when the stream did not say
 * @param edgeBaseUrl    the public http(s) base of this edge node as the provider reached it (for callbacks to the
 *                       edge), or null when unknown
 */
public record ProviderCall(String callId, String providerCallId, String accountId, String edgeBaseUrl) {
}
