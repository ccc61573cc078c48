package io.sipai.gateway.calls;

import java.util.Optional;

/** The post-call analyses of calls, as the calls API reads and asks for them. */
public interface CallAnalyses {

    /** The call's analysis, if one was ever due. */
    Optional<CallAnalysis> find(String tenantId, String callId);

    /** Asks for a new analysis of an ended call (the next generation, due now); the analysis as it is then. */
    CallAnalysis reanalyze(String tenantId, String callId, String agentId);
}
