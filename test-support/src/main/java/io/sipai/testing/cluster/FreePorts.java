package io.sipai.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free TCP ports on loopback for the processes of a test. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port nobody listens on right now. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
