package dev.longshore.local.ops;

import dev.longshore.local.autoscale.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the operator tools (scripts/redrive, scripts/status) do around their work: {@code --help} prints the usage
 * without touching AWS, one SQS client is open while they run, and an AWS failure is one line and exit 1 rather
 * than a stack trace.
 */
final class OpsCommand {
    /** The tool's work against SQS; returns its exit code. */
    @FunctionalInterface
    interface Work {
        int run(SqsClient sqs);
    }

    private OpsCommand() {
    }

    /** Runs {@code work} as the whole process: exits with its code, or returns after printing the help. */
    static void main(String tool, String usage, String[] args, Work work) {
        if (CommandLine.wantsHelp(args)) {
            System.out.print(usage);
            return;
        }
        int code;
        try (SqsClient sqs = Aws.sqs()) {
            code = work.run(sqs);
        } catch (SdkException e) {
            System.err.println(tool + ": " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }
}
