package dev.longshore.local.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final Set<String> VALUED = Set.of("min", "max", "target", "period", "scale-out-periods",
            "scale-in-periods", "warmup", "boot");

    private static CommandLine parse(String... args) {
        return CommandLine.parse(args, VALUED, Set.of("poisson"));
    }

    @Test
    void readsThePolicyOverItsDefaults() {
        ScalingPolicy p = parse("--min", "1", "--target=15", "--warmup", "90s").policy(
                ScalingPolicy.aws(0, 10, 20, Duration.ofSeconds(180)));
        assertEquals(1, p.min());
        assertEquals(10, p.max());
        assertEquals(15, p.target());
        assertEquals(Duration.ofSeconds(90), p.warmup());
        assertEquals(Duration.ofSeconds(60), p.period());
    }

    @Test
    void mistakesNameTheOptionAndTheValue() {
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
                () -> parse("--max", "ten").policy(ScalingPolicy.aws(0, 10, 20, Duration.ZERO)));
        assertTrue(e.getMessage().contains("--max \"ten\""), e.getMessage());
        e = assertThrows(CommandLine.UsageException.class,
                () -> parse("--min", "5", "--max", "2").policy(ScalingPolicy.aws(0, 10, 20, Duration.ZERO)));
        assertTrue(e.getMessage().contains("max"), e.getMessage());
        e = assertThrows(CommandLine.UsageException.class, () -> parse("--mxa", "2"));
        assertTrue(e.getMessage().contains("--mxa"), e.getMessage());
        e = assertThrows(CommandLine.UsageException.class, () -> parse("--boot", "soon").duration("boot", Duration.ZERO));
        assertTrue(e.getMessage().contains("--boot"), e.getMessage());
        assertThrows(CommandLine.UsageException.class, () -> parse("--min"));
    }

    @Test
    void aCommandThatTakesPositionalArgumentsTakesNoMoreThanItSays() {
        CommandLine c = CommandLine.parse(new String[] {"9401"}, Set.of("port"), Set.of(), 1);
        assertEquals(9401, c.port("port", 0, 1));
        assertEquals(7, CommandLine.parse(new String[] {"--port=7"}, Set.of("port"), Set.of(), 1).port("port", 0, 1));
        CommandLine.UsageException e = assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(new String[] {"1", "2"}, Set.of("port"), Set.of(), 1));
        assertEquals("unexpected argument \"2\"", e.getMessage());
        e = assertThrows(CommandLine.UsageException.class, () -> parse("1"));
        assertEquals("unexpected argument \"1\"", e.getMessage());
    }

    @Test
    void aUsageErrorIsOneLineNamingItThenTheSynopsis() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);

        int code = CommandLine.usageError("tool", new CommandLine.UsageException("--min \"x\": expected a number"),
                "usage: tool [options]\n  --min N  the least\n", err);

        assertEquals(2, code);
        assertEquals("tool: --min \"x\": expected a number\nusage: tool [options]  (--help for details)\n",
                bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
