package io.sipai.runtime;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a sipai service and turns a startup failure into an exit status: 2 for a failure already reported as one
 * line (a bad setting, a port in use), 1 for anything else (Spring has logged it). Each service's {@code main}
 * calls {@link #run} and exits with the returned status when it is not 0.
 */
public final class ServiceMain {

    /** Exit status when startup failed and the reason was printed as one line. */
    public static final int EXIT_REPORTED_FAILURE = 2;
    /** Exit status for any other startup failure. */
    public static final int EXIT_FAILURE = 1;

    private static volatile String serviceName = "sipai";
    private static volatile boolean failureReported;

    private ServiceMain() {
    }

    /**
     * Runs the application.
     *
     * @return 0 when the application started (it then runs until stopped), otherwise the exit status
     */
    public static int run(String name, Class<?> application, String... args) {
        serviceName = name;
        try {
            ConfigurableApplicationContext context = new SpringApplication(application).run(args);
            return context.isActive() ? 0 : EXIT_FAILURE;
        } catch (RuntimeException | Error e) {
            return failureReported ? EXIT_REPORTED_FAILURE : EXIT_FAILURE;
        }
    }

    static String serviceName() {
        return serviceName;
    }

    static void markFailureReported() {
        failureReported = true;
    }
}
