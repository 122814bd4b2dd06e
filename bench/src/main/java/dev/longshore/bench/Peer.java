package dev.longshore.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer under test and how to start it.
 *
 * @param java   whether it is a JVM (gets the shipped JVM flags and, on JDK 25+, an AOT cache)
 * @param drains whether it takes part in the drain figures (worker-messaging is measured idle only)
 */
record Peer(String name, List<String> command, boolean java, boolean drains) {

    static List<Peer> all(Path root, Path jars, Path java, List<String> jvmFlags) {
        Path jar = jars.resolve("longshore-bench.jar");
        Path node = root.resolve("bench/node/consumer.js");
        List<Peer> peers = new ArrayList<>();
        peers.add(new Peer("longshore", javaCommand(java, jvmFlags, List.of("-cp", jar.toString(), "dev.longshore.bench.BenchWorkerMain")), true, true));
        peers.add(new Peer("raw-sdk-loop", javaCommand(java, jvmFlags, List.of("-cp", jar.toString(), "dev.longshore.bench.RawLoopMain")), true, true));
        peers.add(new Peer("sqs-consumer", List.of("node", node.toString(), "message"), false, true));
        peers.add(new Peer("sqs-consumer-batch", List.of("node", node.toString(), "batch"), false, true));
        peers.add(new Peer("worker-messaging", javaCommand(java, jvmFlags,
                List.of("-jar", jars.resolve("worker-messaging.jar").toString())), true, false));
        return peers;
    }

    private static List<String> javaCommand(Path java, List<String> flags, List<String> main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(flags);
        cmd.addAll(main);
        return cmd;
    }

    /** The same peer started with an extra JVM option (before the class path or jar). */
    Peer withJvmOption(String option) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(1, option);
        return new Peer(name, cmd, java, drains);
    }
}
