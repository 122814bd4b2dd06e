package dev.longshore.ai.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for the worker in {@link ParentProtectionTest}: optionally protects itself as the AI worker does,
 * then starts what a hostile task would run, {@code cat /proc/$PPID/environ}, and prints what it got.
 */
public final class EnvironProbeMain {
    private EnvironProbeMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 0 && args[0].equals("protect")) {
            System.out.println("protected=" + ParentProtection.apply());
        }
        Process task = new ProcessBuilder("/bin/sh", "-c", "cat /proc/$PPID/environ").redirectErrorStream(true).start();
        String seen = new String(task.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace('\0', '\n');
        System.out.println("exit=" + task.waitFor());
        System.out.println(seen);
    }
}
