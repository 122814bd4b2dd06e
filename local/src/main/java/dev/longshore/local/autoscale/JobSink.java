package dev.longshore.local.autoscale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the fleet's jobs do their work: each job is a webhook to {@code /job/<jobId>?ms=<processing>}, answered
 * 200 after that many milliseconds, so the processing time is exactly the one the workload drew and costs no CPU.
 * It records when each job started and finished by the {@code X-Longshore-Job-Id} header the messaging worker
 * sends; a job recorded twice is a duplicate, a job never finished is lost.
 */
public final class JobSink implements AutoCloseable {
    /** One request for a job: when it arrived and when its answer went out (seconds on the fleet clock). */
    public record Execution(double started, double finished) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final FleetClock clock;
    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private final Map<String, List<Execution>> executions = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();

    private JobSink(HttpServer server, ExecutorService executor, FleetClock clock) {
        this.server = server;
        this.executor = executor;
        this.clock = clock;
    }

    /** Starts on a free port of 127.0.0.1; times are read from {@code clock}. */
    public static JobSink start(FleetClock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("local-fleet-sink-", 1).factory());
        server.setExecutor(executor);
        JobSink sink = new JobSink(server, executor, clock);
        server.createContext("/job/", sink::handle);
        server.start();
        return sink;
    }

    /** The webhook URL a job with this id and processing time is sent to. */
    public String url(String jobId, double processingSeconds) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/job/" + jobId + "?ms="
                + Math.max(1, Math.round(processingSeconds * 1000));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            double started = clock.seconds();
            String jobId = exchange.getRequestHeaders().getFirst("X-Longshore-Job-Id");
            if (jobId == null) {
                jobId = exchange.getRequestURI().getPath().substring("/job/".length());
            }
            long ms = parseMillis(exchange.getRequestURI().getRawQuery());
            starts.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
            running.incrementAndGet();
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            // Recorded before the answer: whoever saw the answer (the worker, a test) finds the execution.
            executions.computeIfAbsent(jobId, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(new Execution(started, clock.seconds()));
            byte[] reply = "{\"status\":\"done\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    private static long parseMillis(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("ms=")) {
                    try {
                        return Math.max(0, Long.parseLong(pair.substring(3)));
                    } catch (NumberFormatException ignored) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    /** Jobs being processed right now. */
    public int running() {
        return running.get();
    }

    /** Distinct jobs finished so far. */
    public int finishedJobs() {
        return executions.size();
    }

    /** Requests received per job id, finished or not (more than one is a duplicate). */
    public Map<String, Integer> starts() {
        Map<String, Integer> copy = new HashMap<>();
        starts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Every finished execution by job id. */
    public Map<String, List<Execution>> executions() {
        Map<String, List<Execution>> copy = new HashMap<>();
        executions.forEach((k, v) -> {
            synchronized (v) {
                copy.put(k, List.copyOf(v));
            }
        });
        return copy;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
