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
}
