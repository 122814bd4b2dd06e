package dev.longshore.core.http;

import java.io.IOException;
import java.net.Socket;

/** Socket chores of the fetcher. */
final class Sockets {
    private Sockets() {
    }

    /** Closes {@code socket}, for cutting a connection off: a failure to close means it is gone already. */
    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
