package dev.longshore.local;

import dev.longshore.testkit.EmbeddedSqs;

import java.util.concurrent.CountDownLatch;

/**
 * ElasticMQ as a process of its own ({@code java -cp longshore-local.jar dev.longshore.local.SqsServerMain PORT}),
 * so benchmarks can count the server's CPU apart from the consumer's. Prints "ready" when it accepts requests
 * and stops on SIGTERM.
 */
public final class SqsServerMain {
    private SqsServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9324;
        EmbeddedSqs sqs = EmbeddedSqs.start(port);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sqs.close();
            stop.countDown();
        }, "sqs-server-shutdown"));
        System.out.println("ready " + sqs.endpoint());
        System.out.flush();
        stop.await();
    }
}
