package io.sipai.runtime;

import java.io.PrintStream;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Prints an analysed startup failure as one line on standard error, so an operator sees
 * {@code api-gateway: cannot start: invalid setting KAFKA_BOOTSTRAP_SERVERS: is empty ...} instead of a banner and
 * a stack trace. Boot's multi-line reporter is silenced by {@link ServiceDefaults}.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

    @Override
    public void report(FailureAnalysis analysis) {
        PrintStream err = System.err;
        String action = analysis.getAction() == null ? "" : " (" + flatten(analysis.getAction()) + ")";
        err.println(ServiceMain.serviceName() + ": cannot start: " + flatten(analysis.getDescription()) + action);
        err.flush();
        ServiceMain.markFailureReported();
    }

    static String flatten(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
