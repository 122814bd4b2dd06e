package dev.longshore.local;

import dev.longshore.local.autoscale.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * The command line of a local server that takes only a port ({@code --port N}, or N alone): help, a usage mistake
 * and a port already in use each end in one line before the server library gets a chance to fail loudly on them.
 */
public final class PortCommand {
    /** The port to listen on, or the exit code when the command ends before listening. */
    public record Outcome(int port, int exitCode) {
        public boolean listen() {
            return exitCode < 0;
        }
    }

    private PortCommand() {
    }

    public static Outcome check(String tool, String usage, int defaultPort, String[] args, PrintStream out,
                                PrintStream err) {
        if (CommandLine.wantsHelp(args)) {
            out.print(usage);
            return new Outcome(0, 0);
        }
        int port;
        try {
            port = CommandLine.parse(args, Set.of("port"), Set.of(), 1).port("port", 0, defaultPort);
        } catch (CommandLine.UsageException e) {
            return new Outcome(0, CommandLine.usageError(tool, e, usage, err));
        }
        if (!free(port)) {
            err.println(tool + ": port " + port + " on 127.0.0.1 is in use; stop what listens there or pass --port N");
            return new Outcome(port, 1);
        }
        return new Outcome(port, -1);
    }

    /**
     * The port a server's {@code main} listens on, from {@link #check} against the process's own streams; when the
     * command ends before listening (help, a usage mistake, a port in use) the process exits here with its code.
     */
    public static int portOrExit(String tool, String usage, int defaultPort, String[] args) {
        Outcome command = check(tool, usage, defaultPort, args, System.out, System.err);
        if (!command.listen()) {
            System.exit(command.exitCode());
        }
        return command.port();
    }

    /** True when nothing listens on 127.0.0.1:{@code port}. */
    public static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
