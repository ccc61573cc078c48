package io.sipai.runtime;

/**
 * A setting (environment variable) is missing or has a value the service cannot run with. Thrown from the
 * compact constructors of {@code @ConfigurationProperties} records, so binding fails at startup and
 * {@link InvalidSettingFailureAnalyzer} turns it into one line that names the variable.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String variable;

    /**
     * @param variable the environment variable, e.g. {@code KAFKA_BOOTSTRAP_SERVERS}
     * @param problem  what is wrong and what is expected
     */
    public InvalidSettingException(String variable, String problem) {
        super(variable + ": " + problem);
        this.variable = variable;
    }

    /**
     * An integer setting's value, {@code fallback} when unset.
     *
     * @throws InvalidSettingException when it lies outside [min, max]
     */
    public static int inRange(String variable, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new InvalidSettingException(variable, "must be between " + min + " and " + max + ", was " + v);
        }
        return v;
    }

    /** The environment variable at fault. */
    public String variable() {
        return variable;
    }
}
