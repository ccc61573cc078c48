package io.sipai.testing.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.BooleanSupplier;

/**
 * Live platform threads and used heap of this JVM (the one a {@code @SpringBootTest} server runs in), measured after
 * full collections, to show that hostile traffic leaves nothing behind.
 */
public record JvmResources(int threads, long usedHeapBytes) {

    /** Collects garbage, then measures. */
    public static JvmResources measure() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            pause(100);
        }
        return new JvmResources(ManagementFactory.getThreadMXBean().getThreadCount(),
                memory.getHeapMemoryUsage().getUsed());
    }

    /**
     * Measures until threads and heap are within the margins of {@code baseline} and {@code settled} holds, or
     * {@code timeoutMs} passed; returns the last measurement (the caller asserts on it).
     */
    public static JvmResources settle(JvmResources baseline, int threadMargin, long heapMarginBytes,
                                      BooleanSupplier settled, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JvmResources now = measure();
        while (System.currentTimeMillis() < deadline && !(now.within(baseline, threadMargin, heapMarginBytes)
                && settled.getAsBoolean())) {
            pause(250);
            now = measure();
        }
        return now;
    }

    /**
     * Platform threads whose stack is inside a class whose name starts with {@code classPrefix}, e.g. Tomcat's
     * {@code org.apache.coyote.http11.Http11Processor}: how many threads a server's request handling holds now.
     */
    public static int threadsIn(String classPrefix) {
        int count = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().startsWith(classPrefix)) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    /** Whether this is at most the margins above {@code baseline}. */
    public boolean within(JvmResources baseline, int threadMargin, long heapMarginBytes) {
        return threads <= baseline.threads + threadMargin && usedHeapBytes <= baseline.usedHeapBytes + heapMarginBytes;
    }

    @Override
    public String toString() {
        return threads + " threads, " + usedHeapBytes / 1_048_576 + " MiB heap used";
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
