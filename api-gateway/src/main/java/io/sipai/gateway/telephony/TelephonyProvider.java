package io.sipai.gateway.telephony;

import io.sipai.common.EventSource;
import io.sipai.common.Transport;

/**
 * A telephony provider plugged into the gateway. Each provider is one package, {@code telephony.<name>} (its
 * settings record) with {@code telephony.<name>.internal} (this interface as a Spring component that registers the
 * settings, its webhook controller, the verification of the provider's request signature, and its
 * {@link CallOriginator}). The generic call code works from the registered providers ({@link TelephonyProviders}):
 * placing and hanging up calls, the {@code provider} values the API accepts and documents, and the inbound flow
 * ({@link InboundCalls}) the provider's webhooks hand their verified requests to.
 */
public interface TelephonyProvider {

    /** The provider's name in the API (a call's {@code provider}, {@code POST /v1/calls}); lower case. */
    String name();

    /** How the audio of the provider's calls reaches realtime-edge: the calls' transport. */
    Transport transport();

    /** The source of the call events its webhooks report. */
    EventSource source();

    /** Places and ends calls through the provider's REST API. */
    CallOriginator originator();
}
