package dev.longshore.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * scripts/bench: Longshore side by side with sqs-consumer (handleMessage and handleMessageBatch) and a raw SDK
 * loop, on one ElasticMQ server process on 127.0.0.1, in one run. Prints a table and ratios and writes
 * bench/results/latest.md and a throughput plot.
 */
public final class BenchMain {
    private final Settings s;
    private final Figures figures = new Figures();
    private final Path logs;

    /** Run sizes; --quick shrinks them so the whole run stays under 5 minutes. */
    record Settings(Path root, Path java, List<String> jvmFlags, boolean quick, int repeats, int messages,
                    int sleepMessagesLowConcurrency, Duration idleSettle, Duration idleCpuWindow, List<String> only,
                    String profile, boolean memory) {
        /** The peers Peer.all starts, by name (--only and --profile pick from these). */
        static final List<String> PEERS = List.of("longshore", "raw-sdk-loop", "sqs-consumer", "sqs-consumer-batch",
                "worker-messaging");
        /** The peers whose idle native memory the benchmark breaks down (--memory alone: worker-messaging). */
        static final List<String> NATIVE_MEMORY_PEERS = List.of("longshore", "worker-messaging");
    }

    /**
     * The drain matrix: a no-op handler at 4, 40 (issue 15's headline: 4 pollers of 10) and 64 in flight, and
     * a 50 ms handler at 4 and 64.
     */
    record Drain(long sleepMs, int concurrency) {
        static final List<Drain> ALL = List.of(new Drain(0, 4), new Drain(0, 40), new Drain(0, 64), new Drain(50, 4),
                new Drain(50, 64));

        String label() {
            return (sleepMs == 0 ? "no-op" : sleepMs + " ms") + ", C=" + concurrency;
        }
    }

    BenchMain(Settings s) throws IOException {
        this.s = s;
        this.logs = Files.createDirectories(s.root().resolve("bench/target/logs"));
    }

    static final String USAGE = """
            usage: scripts/bench [--quick] [--only PEER,...] [--profile PEER] [--memory] [--replot TABLE.md PLOT.png]
              --quick            a short run (about 5 minutes); the full run takes under 30 minutes
              --only PEER,...    run only these peers: %s
              --profile PEER     profile one peer instead of the benchmark
              --memory           only the native memory table of idle worker-messaging (or the --only Java peers)
              --replot MD PNG    redraw the throughput plot from a results table, then exit
            """.formatted(String.join(",", Settings.PEERS));

    /** A mistake on the command line: one line naming it, the synopsis, exit 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** What the command line asks for: a benchmark run, or a replot of a results table. */
    record Command(Path root, boolean quick, List<String> only, String profile, boolean memory, Path replotTable, Path replotPng) {
    }

    /**
     * Messages per drain in --quick: 4,000 (was 5,000 with four drain configurations) so the run, with the C=40
     * drains and the native memory pass added, stays about 5 minutes.
     */
    static final int QUICK_MESSAGES = 4_000;

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Command c;
        try {
            c = parse(args);
        } catch (UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(USAGE.lines().findFirst().orElse("") + "  (--help for details)");
            System.exit(2);
            return;
        }
        if (c.replotTable() != null) {
            List<String> names = new ArrayList<>();
            Figures f = Report.fromMarkdown(Files.readAllLines(c.replotTable()), names);
            new Report(f, names, null).plot(c.replotPng());
            System.out.println("plotted " + c.replotPng());
            return;
        }
        String flags = System.getenv().getOrDefault("LONGSHORE_JVM_FLAGS", "");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvmFlags = flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
        Path root = c.root();
        List<String> only = c.only();
        String profile = c.profile();
        // --memory alone is a quick look: the quick run's idle settle.
        Settings settings = c.quick() || c.memory()
                ? new Settings(root, java, jvmFlags, true, 1, QUICK_MESSAGES, 400, Duration.ofSeconds(10), Duration.ofSeconds(20), only, profile, c.memory())
                : new Settings(root, java, jvmFlags, false, 3, 20_000, 2_000, Duration.ofSeconds(30), Duration.ofSeconds(60), only, profile, false);
        new BenchMain(settings).run();
    }

    /** Reads the arguments; every mistake (unknown option, missing value, unknown peer, missing file) is a {@link UsageException}. */
    static Command parse(String[] args) {
        Path root = Path.of(".").toAbsolutePath().normalize();
        boolean quick = false;
        boolean memory = false;
        List<String> only = List.of();
        String profile = null;
        Path table = null;
        Path png = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--quick" -> quick = true;
                case "--memory" -> memory = true;
                case "--root" -> root = Path.of(value(args, i++)).toAbsolutePath().normalize();
                case "--only" -> {
                    only = Arrays.asList(value(args, i++).split(","));
                    only.forEach(p -> peer("--only", p));
                }
                case "--profile" -> profile = peer("--profile", value(args, i++));
                case "--replot" -> {
                    table = Path.of(value(args, i++));
                    if (i + 1 >= args.length) {
                        throw new UsageException("--replot needs two values: the results table and the PNG to write");
                    }
                    png = Path.of(args[++i]);
                    if (!Files.isRegularFile(table)) {
                        throw new UsageException("--replot " + table + ": no such file");
                    }
                }
                default -> throw new UsageException(arg.startsWith("-") ? "unknown option " + arg
                        : "unexpected argument \"" + arg + "\"");
            }
        }
        if (memory && profile != null) {
            throw new UsageException("--memory and --profile are two different runs; pick one");
        }
        return new Command(root, quick, only, profile, memory, table, png);
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new UsageException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static String peer(String option, String name) {
        if (!Settings.PEERS.contains(name)) {
            throw new UsageException(option + " \"" + name + "\": expected one of " + String.join(", ", Settings.PEERS));
        }
        return name;
    }

    void run() throws Exception {
        // Private copies: a rebuild of the tree while the bench runs must not pull jars from under its processes.
        Path jars = Files.createDirectories(s.root().resolve("bench/target/run"));
        for (String jar : List.of("bench/target/longshore-bench.jar", "local/target/longshore-local.jar",
                "worker-messaging/target/worker-messaging.jar")) {
            Path from = s.root().resolve(jar);
            Files.copy(from, jars.resolve(from.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<Peer> peers = Peer.all(s.root(), jars, s.java(), s.jvmFlags()).stream()
                .filter(p -> s.memory() ? p.java() && (s.only().isEmpty() ? p.name().equals("worker-messaging") : s.only().contains(p.name()))
                        : s.only().isEmpty() || s.only().contains(p.name())).toList();
        if (peers.isEmpty()) {
            System.err.println("bench: --memory needs a Java peer in --only (longshore, raw-sdk-loop, worker-messaging)");
            System.exit(2);
        }
        List<Peer> drainPeers = peers.stream().filter(Peer::drains).toList();
        int port = freePort();
        Path serverLog = logs.resolve("sqs-server.log");
        Files.deleteIfExists(serverLog);
        List<String> serverCmd = new ArrayList<>(List.of(s.java().toString(), "-XX:+UseParallelGC", "-Xmx1g"));
        if (Runtime.version().feature() >= 24) {
            serverCmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        serverCmd.addAll(List.of("-cp", jars.resolve("longshore-local.jar").toString(),
                "dev.longshore.local.SqsServerMain", String.valueOf(port)));
        try (Proc server = Proc.start(serverCmd, Map.of(), serverLog)) {
            waitFor(() -> Files.readString(serverLog).contains("ready"), Duration.ofSeconds(60), "SQS server start");
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            System.out.printf("SQS server (ElasticMQ) pid %d on %s; peers: %s; %s run%n", server.pid(), endpoint,
                    peers.stream().map(Peer::name).toList(), s.quick() ? "quick" : "full");
            // Drains go through the counting proxy (BENCH_NO_PROXY=1: straight to the server, without request figures).
            try (QueueOps ops = new QueueOps(endpoint); ReceiveSpy spy = new ReceiveSpy(endpoint);
                 CountingProxy proxy = System.getenv("BENCH_NO_PROXY") == null ? new CountingProxy(endpoint) : null) {
                if (s.profile() != null) {
                    profile(peers, ops, endpoint);
                    return;
                }
                if (Runtime.version().feature() >= 25 && System.getenv("BENCH_NO_AOT") == null) {
                    peers = trainAotCaches(peers, ops, endpoint);
                    drainPeers = peers.stream().filter(Peer::drains).toList();
                }
                if (s.memory()) {
                    nativeMemory(peers, ops, endpoint);
                    System.out.println();
                    System.out.print(new Report(figures, peers.stream().map(Peer::name).toList(), s).nativeMemoryTable());
                    return;
                }
                startup(peers, ops, spy);
                idle(peers, ops, endpoint);
                nativeMemory(peers.stream().filter(p -> Settings.NATIVE_MEMORY_PEERS.contains(p.name())).toList(), ops, endpoint);
                throughput(drainPeers, ops, endpoint, server, proxy);
                sigtermBusy(drainPeers, ops, endpoint);
                duplicates(drainPeers, ops, endpoint);
            }
        }
        Report report = new Report(figures, peers.stream().map(Peer::name).toList(), s);
        String markdown = report.markdown();
        System.out.println();
        System.out.println(markdown);
        Path results = Files.createDirectories(s.root().resolve("bench/results"));
        Files.writeString(results.resolve(s.quick() ? "latest-quick.md" : "latest.md"), markdown);
        report.plot(results.resolve(s.quick() ? "throughput-quick.png" : "throughput.png"));
        System.out.println("written: " + s.root().relativize(results.resolve(s.quick() ? "latest-quick.md" : "latest.md")));
    }

    private Map<String, String> env(URI endpoint, String queueUrl, int concurrency, long sleepMs) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_ENDPOINT_URL_SQS", endpoint.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("WORKER_QUEUE_URL", queueUrl);
        env.put("WORKER_CONCURRENCY", String.valueOf(concurrency));
        env.put("WORKER_HEALTH_PORT", "off");
        env.put("WORKER_METRICS_NAMESPACE", "off");
        env.put("BENCH_SLEEP_MS", String.valueOf(sleepMs));
        return env;
    }

    private Proc start(Peer peer, Map<String, String> env, String phase) throws IOException {
        return Proc.start(peer.command(), env, logs.resolve(peer.name() + "-" + phase + ".log"));
    }

    /**
     * JDK 25's AOT cache (JEP 483/514), as the shipped image builds it: one short training run per Java peer
     * (start, process a few messages, SIGTERM), then every measured run starts from the cache.
     */
    private List<Peer> trainAotCaches(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        Path dir = Files.createDirectories(s.root().resolve("bench/target/aot"));
        List<Peer> out = new ArrayList<>();
        for (Peer peer : peers) {
            if (!peer.java()) {
                out.add(peer);
                continue;
            }
            Path cache = dir.resolve(peer.name() + ".aot");
            Files.deleteIfExists(cache);
            String q = ops.newQueue("train", 30);
            ops.fill(q, 200);
            Map<String, String> env = env(endpoint, q, 4, 0);
            if (peer.name().equals("worker-messaging")) {
                env.put("WORKER_RECEIVE_WAIT", "1s");
            }
            try (Proc p = start(peer.withJvmOption("-XX:AOTCacheOutput=" + cache), env, "aot-train")) {
                Thread.sleep(6000);
                p.sigtermAndTimeExit(60_000);
            }
            ops.delete(q);
            if (Files.exists(cache)) {
                System.out.printf("aot      %-20s cache %,d KiB%n", peer.name(), Files.size(cache) / 1024);
                out.add(peer.withJvmOption("-XX:AOTCache=" + cache));
            } else {
                System.out.printf("aot      %-20s no cache written; measured without%n", peer.name());
                out.add(peer);
            }
        }
        return out;
    }

    /** Process start to the first ReceiveMessage the server sees (through the spy). */
    private void startup(List<Peer> peers, QueueOps ops, ReceiveSpy spy) throws Exception {
        for (int rep = 0; rep < s.repeats(); rep++) {
            for (Peer peer : peers) {
                String q = ops.newQueue("startup", 30);
                spy.reset();
                try (Proc p = start(peer, env(spy.endpoint(), q, 4, 0), "startup")) {
                    waitFor(() -> spy.firstReceiveNanos() != 0, Duration.ofSeconds(30), peer.name() + " first receive");
                    double ms = (spy.firstReceiveNanos() - p.startedNanos) / 1e6;
                    figures.add("start to first ReceiveMessage (ms)", peer.name(), ms);
                    System.out.printf("startup  %-20s %.0f ms%n", peer.name(), ms);
                }
                ops.delete(q);
            }
        }
    }

    /** All peers idle at once on empty queues: RSS after settling, CPU over a window, then SIGTERM to exit. */
    private void idle(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        for (int rep = 0; rep < s.repeats(); rep++) {
            List<Proc> procs = new ArrayList<>();
            List<String> queues = new ArrayList<>();
            try {
                startIdle(peers, ops, endpoint, "idle", procs, queues);
                Thread.sleep(s.idleSettle().toMillis());
                double[] cpu0 = new double[peers.size()];
                for (int i = 0; i < peers.size(); i++) {
                    figures.add("idle RSS after " + s.idleSettle().toSeconds() + " s (MiB)", peers.get(i).name(), procs.get(i).rssMiB());
                    cpu0[i] = procs.get(i).cpuSeconds();
                }
                Thread.sleep(s.idleCpuWindow().toMillis());
                for (int i = 0; i < peers.size(); i++) {
                    double perThirty = (procs.get(i).cpuSeconds() - cpu0[i]) * 30.0 / s.idleCpuWindow().toSeconds();
                    figures.add("idle CPU (s per 30 s)", peers.get(i).name(), perThirty);
                }
                for (int i = 0; i < peers.size(); i++) {
                    long ms = procs.get(i).sigtermAndTimeExit(15_000);
                    figures.add("SIGTERM to exit, idle (ms)", peers.get(i).name(), ms < 0 ? Double.NaN : ms);
                    System.out.printf("idle     %-20s RSS %.1f MiB, SIGTERM->exit %d ms%n", peers.get(i).name(),
                            figures.get("idle RSS after " + s.idleSettle().toSeconds() + " s (MiB)", peers.get(i).name()).getLast(), ms);
                }
            } finally {
                procs.forEach(Proc::close);
                queues.forEach(ops::delete);
            }
        }
    }

    private void throughput(List<Peer> peers, QueueOps ops, URI endpoint, Proc server, CountingProxy proxy) throws Exception {
        URI consumerEndpoint = proxy == null ? endpoint : proxy.endpoint();
        for (Drain drain : Drain.ALL) {
            int n = drain.sleepMs() > 0 && drain.concurrency() == 4 ? s.sleepMessagesLowConcurrency() : s.messages();
            String label = drain.label();
            for (int rep = 0; rep < s.repeats(); rep++) {
                for (Peer peer : peers) {
                    String q = ops.newQueue("drain", 30);
                    ops.fill(q, n);
                    if (proxy != null) {
                        proxy.counts().reset(); // the previous consumer has exited: its connections are gone
                    }
                    try (Proc p = start(peer, env(consumerEndpoint, q, drain.concurrency(), drain.sleepMs()), "drain")) {
                        waitFor(() -> {
                            int[] d = ops.depth(q);
                            return d[0] < n || d[1] > 0;
                        }, Duration.ofSeconds(60), peer.name() + " first message");
                        long t0 = System.nanoTime();
                        double c0 = p.cpuSeconds();
                        double sc0 = server.cpuSeconds();
                        waitDrained(ops, q, Duration.ofMinutes(10), peer.name() + " drain");
                        double secs = (System.nanoTime() - t0) / 1e9;
                        double rate = n / secs;
                        figures.add(Report.throughput(label), peer.name(), rate);
                        figures.add(Report.consumerCpu(label), peer.name(), (p.cpuSeconds() - c0) * 1000 / n);
                        figures.add("CPU s per 1000 msgs " + label + " (server)", peer.name(), (server.cpuSeconds() - sc0) * 1000 / n);
                        figures.add("peak RSS " + label + " (MiB)", peer.name(), p.peakRssMiB());
                        String requests = proxy == null ? "" : recordRequests(proxy.counts(), label, peer, n);
                        System.out.printf("drain    %-20s %-14s %,6d msgs %7.0f msg/s%s%n", peer.name(), label, n, rate, requests);
                    }
                    ops.delete(q);
                }
            }
        }
    }

    /**
     * Requests from the consumer's start to the drained queue, per 1000 messages: start-up calls and the long
     * polls still open at the end are part of what a consumer costs, and every peer pays them the same way.
     */
    private String recordRequests(RequestCounts counts, String label, Peer peer, int n) {
        figures.add(Report.requests(label), peer.name(), counts.total() * 1000.0 / n);
        StringBuilder line = new StringBuilder(String.format(" %,6.0f requests/1k", counts.total() * 1000.0 / n));
        for (SqsOperation op : SqsOperation.values()) {
            figures.add(Report.requests(label, op), peer.name(), counts.get(op) * 1000.0 / n);
            line.append(' ').append(op.column).append(' ').append(counts.get(op));
        }
        if (counts.unparsedConnections() > 0) {
            line.append(" (").append(counts.unparsedConnections()).append(" connection(s) not understood: undercounted)");
        }
        return line.toString();
    }

    /**
     * Starts every peer at once, each on a new empty queue, so they idle side by side. What was started is added to
     * {@code procs} and {@code queues} as it goes, so the caller's cleanup covers a start that fails part way.
     */
    private void startIdle(List<Peer> peers, QueueOps ops, URI endpoint, String phase, List<Proc> procs,
                           List<String> queues) throws Exception {
        for (Peer peer : peers) {
            String q = ops.newQueue(phase, 30);
            queues.add(q);
            procs.add(start(peer, env(endpoint, q, 4, 0), phase));
        }
    }

    /**
     * The idle peers again, with native memory tracking: after the idle settle, the JVM's own account of its
     * committed memory by category, beside the RSS, to show what an idle worker's footprint is made of.
     */
    private void nativeMemory(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        List<Proc> procs = new ArrayList<>();
        List<String> queues = new ArrayList<>();
        try {
            startIdle(peers.stream().map(p -> p.withJvmOption(NativeMemory.JVM_OPTION)).toList(), ops, endpoint, "nmt",
                    procs, queues);
            Thread.sleep(s.idleSettle().toMillis());
            for (int i = 0; i < peers.size(); i++) {
                String name = peers.get(i).name();
                double rss = procs.get(i).rssMiB();
                Map<String, Double> committed;
                try {
                    committed = NativeMemory.parse(NativeMemory.summary(s.java(), procs.get(i).pid()));
                } catch (IOException e) {
                    System.out.printf("memory   %-20s %s%n", name, e.getMessage());
                    continue;
                }
                committed.forEach((category, mib) -> figures.add(Report.NATIVE_MEMORY + category, name, mib));
                figures.add(Report.NATIVE_MEMORY_RSS, name, rss);
                System.out.printf("memory   %-20s NMT committed %.1f MiB, RSS %.1f MiB after %d s idle%n", name,
                        committed.getOrDefault(NativeMemory.TOTAL, Double.NaN), rss, s.idleSettle().toSeconds());
            }
        } finally {
            procs.forEach(Proc::close);
            queues.forEach(ops::delete);
        }
    }

    /** One no-op drain at C=64 of the named peer under JFR, summarised. */
    private void profile(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        Peer peer = peers.stream().filter(p -> p.name().equals(s.profile())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no peer " + s.profile()));
        Path jfr = logs.resolve("profile-" + peer.name() + ".jfr");
        java.util.List<String> cmd = new ArrayList<>(peer.command());
        cmd.add(1, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        String q = ops.newQueue("profile", 30);
        ops.fill(q, s.messages());
        long t0 = System.nanoTime();
        try (Proc p = Proc.start(cmd, env(endpoint, q, 64, 0), logs.resolve(peer.name() + "-profile.log"))) {
            waitDrained(ops, q, Duration.ofMinutes(10), "profiled drain");
            System.out.printf("profiled drain of %d messages (start included): %.1f s, CPU %.2f s%n", s.messages(),
                    (System.nanoTime() - t0) / 1e9, p.cpuSeconds());
            // Dumped while the worker runs: its SIGTERM hook halts the JVM, so JFR's own dump at exit never happens.
            Path jcmd = s.java().resolveSibling("jcmd");
            Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(p.pid()), "JFR.dump", "filename=" + jfr)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!dump.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || dump.exitValue() != 0) {
                throw new IllegalStateException("jcmd JFR.dump of the profiled worker failed");
            }
            p.sigtermAndTimeExit(15_000);
        }
        System.out.println(Profile.summary(jfr, 25));
        System.out.println("recording: " + jfr + " (jfr print --events jdk.ExecutionSample " + jfr + ")");
    }

    /** 64 jobs of 2 s in flight, then SIGTERM: how long to exit, and how many jobs were left unfinished. */
    private void sigtermBusy(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        for (int rep = 0; rep < s.repeats(); rep++) {
            for (Peer peer : peers) {
                String q = ops.newQueue("busy", 30);
                ops.fill(q, 64);
                try (Proc p = start(peer, env(endpoint, q, 64, 2000), "busy")) {
                    waitFor(() -> ops.depth(q)[1] == 64, Duration.ofSeconds(30), peer.name() + " 64 in flight");
                    Thread.sleep(300);
                    long ms = p.sigtermAndTimeExit(30_000);
                    int[] d = ops.depth(q);
                    figures.add("SIGTERM to exit, 64 x 2 s jobs in flight (ms)", peer.name(), ms < 0 ? Double.NaN : ms);
                    figures.add("jobs left unfinished by that SIGTERM", peer.name(), d[0] + d[1]);
                    System.out.printf("busy     %-20s SIGTERM->exit %d ms, unfinished %d%n", peer.name(), ms, d[0] + d[1]);
                }
                ops.delete(q);
            }
        }
    }

    /** Jobs of 10 s on a queue whose visibility timeout is 1 s: how many run twice. */
    private void duplicates(List<Peer> peers, QueueOps ops, URI endpoint) throws Exception {
        int jobs = 20;
        for (int rep = 0; rep < s.repeats(); rep++) {
            for (Peer peer : peers) {
                String q = ops.newQueue("dups", 1);
                ops.fill(q, jobs);
                Path record = logs.resolve(peer.name() + "-dups-" + rep + ".txt");
                Files.deleteIfExists(record);
                Map<String, String> env = env(endpoint, q, 64, 10_000);
                env.put("BENCH_RECORD", record.toString());
                try (Proc p = start(peer, env, "dups")) {
                    try {
                        waitDrained(ops, q, Duration.ofSeconds(25), peer.name() + " duplicate run");
                    } catch (IllegalStateException timeout) {
                        // a consumer that keeps re-running jobs never empties the queue; count what it did
                    }
                }
                List<String> ids = Files.exists(record) ? Files.readAllLines(record) : List.of();
                int dups = ids.size() - new HashSet<>(ids).size();
                figures.add("duplicate runs, jobs 10x the visibility timeout", peer.name(), dups);
                System.out.printf("dups     %-20s %d duplicate run(s) of %d jobs%n", peer.name(), dups, jobs);
                ops.delete(q);
            }
        }
    }

    /** Waits until {@code q} holds no message, visible or in flight. */
    private static void waitDrained(QueueOps ops, String q, Duration timeout, String what) throws Exception {
        waitFor(() -> {
            int[] d = ops.depth(q);
            return d[0] == 0 && d[1] == 0;
        }, timeout, what);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("timed out waiting for " + what);
    }

    static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String today() {
        return LocalDate.now().toString();
    }
}
