package io.sipai.edge.connection;

import io.sipai.edge.EdgeSettings;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.runtime.admission.AdmissionClient;
import tools.jackson.databind.json.JsonMapper;

/** What every connection of every protocol needs, bundled so connections take one argument. */
public record ConnectionServices(CallSessionFactory sessions, EdgeSettings settings, EdgeMetrics metrics,
                                 JsonMapper json, DrainController drain, AgentDirectory agents,
                                 AdmissionClient admission) {
}
