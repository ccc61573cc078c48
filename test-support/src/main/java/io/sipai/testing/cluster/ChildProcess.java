package io.sipai.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM a failure test controls like a host: started with a command line and environment, logging to a file,
 * and then stopped (SIGTERM), killed (SIGKILL), frozen (SIGSTOP) and thawed (SIGCONT), and started again with the
 * same command line.
 */
public final class ChildProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logFile;
    private volatile Process process;

    public ChildProcess(String name, List<String> command, Map<String, String> environment, Path logFile) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    /** A {@code java} command line with this JVM's executable and the given arguments. */
    public static List<String> java(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(arguments);
        return command;
    }

    /** This JVM's {@code java} executable. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * The last {@code lines} warnings and errors of its log (lines of an ECS JSON log, each cut to 700 characters):
     * what tells a failure on a CI machine apart when only the test's output is kept.
     */
    public String problems(int lines) {
        return name + ", last warnings and errors" + logTail(lines, line -> line.contains("\"level\":\"ERROR\"")
                || line.contains("\"level\":\"WARN\""), 700);
    }

    /**
     * Whether it runs and the last {@code lines} lines of its log but stack frames: what a failure message should
     * carry, since a test's temporary directory, the log with it, is deleted when the test ends, and a fatal error's
     * frames would push its message out of the tail.
     */
    public String describe(int lines) {
        return name + (alive() ? " (running)" : " (not running)") + ", last lines of its log"
                + logTail(lines, line -> !isStackFrame(line), Integer.MAX_VALUE);
    }

    private static boolean isStackFrame(String line) {
        String stripped = line.stripLeading();
        return line.length() > stripped.length() && (stripped.startsWith("at ") || stripped.startsWith("..."));
    }

    /** ":" and the last {@code lines} lines of the log that {@code keep} keeps, each cut to {@code width}. */
    private String logTail(int lines, Predicate<String> keep, int width) {
        try {
            List<String> kept = (Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8)
                    : List.<String>of()).stream().filter(keep)
                    .map(line -> line.substring(0, Math.min(width, line.length()))).toList();
            return ":\n  " + String.join("\n  ", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
        } catch (IOException | UncheckedIOException e) {
            return ": log unreadable: " + e;
        }
    }

    /** Starts (or starts again) the process; its output is appended to {@link #logFile()}. */
    public synchronized void start() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public boolean alive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: the process dies at once, like a lost host; nothing of it runs any more. */
    public void kill() {
        Process current = process;
        if (current != null) {
            current.destroyForcibly();
            waitFor(current, Duration.ofSeconds(10));
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroy();
        if (!waitFor(current, grace)) {
            kill();
        }
    }

    /**
     * SIGKILL to all of them at once (a frozen one too), then waits until they are gone: a teardown that has nothing
     * left to check spends no time on graceful stops.
     */
    public static void killAll(List<ChildProcess> processes) {
        List<Process> killed = new ArrayList<>();
        for (ChildProcess child : processes) {
            Process current = child.process;
            if (current != null && current.isAlive()) {
                current.destroyForcibly();
                killed.add(current);
            }
        }
        killed.forEach(current -> waitFor(current, Duration.ofSeconds(10)));
    }

    /** SIGSTOP: the process freezes (no thread runs, sockets stay open), like a host that stopped answering. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed: " + describe(20));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + (alive() ? " (pid " + pid() + ")" : " (not running)");
    }
}
