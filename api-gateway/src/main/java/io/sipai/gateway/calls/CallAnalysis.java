package io.sipai.gateway.calls;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A call's post-call analysis as the API shows it.
 *
 * @param status         PENDING (due or being made), DONE, FAILED (gave up after its attempts) or SKIPPED (the
 *                       agent asks for none)
 * @param generation     1 for the analysis made at the end of the call, one more per re-analysis
 * @param attempts       attempts made for this generation
 * @param summary        what happened, when DONE
 * @param structuredData the data the agent's schema asks for, as JSON, when DONE and asked for
 * @param success        whether the call met the agent's success criteria, when DONE
 * @param successReason  why
 * @param engine         openai:<model> or offline
 * @param analyzedAt     when it was made
 * @param error          the last attempt's error, while retrying or FAILED
 */
public record CallAnalysis(String status, int generation, int attempts, String summary,
                           @JsonRawValue String structuredData, Boolean success, String successReason, String engine,
                           OffsetDateTime analyzedAt, String error) {
}
