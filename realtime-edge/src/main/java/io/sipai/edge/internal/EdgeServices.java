package io.sipai.edge.internal;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.auth.TelephonyTokens;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.edge.transfer.CallTransfers;
import io.sipai.runtime.admission.AdmissionClient;
import tools.jackson.databind.json.JsonMapper;

/** What every connection of every protocol needs, bundled so handlers take one argument. */
public record EdgeServices(CallSessionFactory sessions, EdgeSettings settings, EdgeMetrics metrics, JsonMapper json,
                           DrainController drain, AgentDirectory agents, AdmissionClient admission,
                           TelephonyTokens tokens, CallTransfers transfers) {
}
