package dev.longshore.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The workers' logging, set up in code: JSON lines on stdout (README: Health and metrics), level from
 * {@code WORKER_LOG_LEVEL} (default INFO), the AWS SDK and Pekko on warnings only; stderr stays reserved for the
 * one-line configuration error. Done without a logback.xml because parsing one loads an XML parser and logback's
 * configuration interpreter, a few hundred classes in every worker's start-up and idle footprint (README:
 * Performance). A logback.xml or logback-test.xml on the class path, or {@code -Dlogback.configurationFile},
 * still wins: the local tools and the tests bring their own.
 */
public final class WorkerLogConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_VARIABLE = "WORKER_LOG_LEVEL";

    private final java.util.function.Predicate<String> onClassPath;

    /** Found by logback through ServiceLoader. */
    public WorkerLogConfigurator() {
        this(name -> WorkerLogConfigurator.class.getClassLoader().getResource(name) != null);
    }

    WorkerLogConfigurator(java.util.function.Predicate<String> onClassPath) {
        this.onClassPath = onClassPath;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || onClassPath.test("logback-test.xml")
                || onClassPath.test("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setTarget("System.out");
        stdout.setEncoder(encoder);
        stdout.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE))));
        root.addAppender(stdout);
        context.getLogger("software.amazon.awssdk").setLevel(Level.WARN);
        context.getLogger("org.apache.pekko").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The named level; INFO when unset or not a level name, as logback.xml's substitution did. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
    }
}
