package dev.longshore.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A consumer under test and how to start it. */
record Peer(String name, List<String> command) {

    static List<Peer> all(Path root, Path java, List<String> jvmFlags) {
        Path jar = root.resolve("bench/target/longshore-bench.jar");
        Path node = root.resolve("bench/node/consumer.js");
        List<Peer> peers = new ArrayList<>();
        peers.add(new Peer("longshore", javaCommand(java, jvmFlags, jar, "dev.longshore.bench.BenchWorkerMain")));
        peers.add(new Peer("raw-sdk-loop", javaCommand(java, jvmFlags, jar, "dev.longshore.bench.RawLoopMain")));
        peers.add(new Peer("sqs-consumer", List.of("node", node.toString(), "message")));
        peers.add(new Peer("sqs-consumer-batch", List.of("node", node.toString(), "batch")));
        return peers;
    }

    private static List<String> javaCommand(Path java, List<String> flags, Path jar, String main) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(jar.toString());
        cmd.add(main);
        return cmd;
    }
}
