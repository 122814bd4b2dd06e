package dev.longshore.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The socket's input with two clocks on every read: the stall timeout (no byte for this long) and the whole
 * deadline, whichever is nearer. A drip-feeding server therefore fails at the deadline, not never.
 */
final class TimedSocketInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Deadline deadline;
    private final Duration stall;

    TimedSocketInput(Socket socket, Deadline deadline, Duration stall) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.deadline = deadline;
        this.stall = stall;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long left = deadline.remainingNanos();
        if (left <= 0) {
            throw deadlineExceeded();
        }
        long leftMillis = Math.max(1, (left + 999_999) / 1_000_000);
        boolean stallFirst = stall.toMillis() < leftMillis;
        int timeout = (int) Math.min(Integer.MAX_VALUE, stallFirst ? Math.max(1, stall.toMillis()) : leftMillis);
        socket.setSoTimeout(timeout);
        int n;
        try {
            n = in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            if (stallFirst && !deadline.expired()) {
                throw new FetchTimeout(true, "no data for " + stall.toMillis() + " ms");
            }
            throw deadlineExceeded();
        } catch (IOException e) {
            if (deadline.expired()) {
                throw deadlineExceeded();
            }
            throw e;
        }
        if (n > 0 && deadline.expired()) {
            throw deadlineExceeded();
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private FetchTimeout deadlineExceeded() {
        return new FetchTimeout(false, "did not complete within " + deadline.budget().toMillis() + " ms");
    }
}
