package dev.longshore.local;

import dev.longshore.testkit.EmbeddedSqs;

import java.util.concurrent.CountDownLatch;

/**
 * ElasticMQ as a process of its own ({@code java -cp longshore-local.jar dev.longshore.local.SqsServerMain
 * [--port N]}, or the port as the only argument), so benchmarks can count the server's CPU apart from the
 * consumer's. Prints "ready" when it accepts requests and stops on SIGTERM.
 */
public final class SqsServerMain {
    public static final String USAGE = """
            usage: SqsServerMain [--port N]   (or: SqsServerMain N)
              --port N   where ElasticMQ listens on 127.0.0.1 (default 9324)
            """;
    static final int DEFAULT_PORT = 9324;

    private SqsServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = PortCommand.portOrExit("SqsServerMain", USAGE, DEFAULT_PORT, args);
        EmbeddedSqs sqs = EmbeddedSqs.start(port);
        CountDownLatch stop = ShutdownLatch.closing(sqs::close, "sqs-server-shutdown");
        System.out.println("ready " + sqs.endpoint());
        System.out.flush();
        stop.await();
    }
}
