package dev.longshore.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CountingProxyTest {
    private static byte[] request(String target) {
        String body = "{\"QueueUrl\":\"q\"}";
        return ("POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-amz-target: AmazonSQS." + target + "\r\ncontent-length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void forwardsPipelinedRequestsAndTheRepliesUnchangedAndCountsThem() throws Exception {
        byte[] sent = concat(request("ReceiveMessage"), request("DeleteMessageBatch"), request("ReceiveMessage"));
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The fake server reads exactly what was sent, then replies and closes.
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    byte[] got = s.getInputStream().readNBytes(sent.length);
                    s.getOutputStream().write(reply);
                    return got;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CountingProxy proxy = new CountingProxy(URI.create("http://127.0.0.1:" + upstream.getLocalPort()));
            try (Socket client = new Socket(proxy.endpoint().getHost(), proxy.endpoint().getPort())) {
                OutputStream out = client.getOutputStream();
                out.write(sent);
                out.flush();
                InputStream in = client.getInputStream();

                assertArrayEquals(reply, in.readAllBytes());
                assertArrayEquals(sent, received.get());
            } finally {
                proxy.close();
            }
            assertEquals(2, proxy.counts().get(SqsOperation.RECEIVE));
            assertEquals(1, proxy.counts().get(SqsOperation.DELETE));
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
