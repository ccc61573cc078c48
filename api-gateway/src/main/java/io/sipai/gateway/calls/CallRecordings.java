package io.sipai.gateway.calls;

import java.util.Optional;

/** The recordings of calls, as the calls API shows them. */
public interface CallRecordings {

    /** The call's recording unless there is none or it was deleted. */
    Optional<CallRecording> find(String tenantId, String callId);
}
