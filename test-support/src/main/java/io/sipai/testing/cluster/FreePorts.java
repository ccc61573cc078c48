package io.sipai.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports on loopback for the processes of a test. A port is handed out once per JVM: the kernel may offer a
 * port again as soon as the probe closed it, and a cluster that got one port twice (a broker's listener and another
 * broker's controller, seen in a .ci/run) cannot start.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int MAX_ATTEMPTS = 10_000;

    private FreePorts() {
    }

    /** A port nobody listens on right now and that this JVM has not handed out before. */
    public static int next() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port left that this JVM has not handed out (" + HANDED_OUT.size()
                + " handed out)");
    }
}
