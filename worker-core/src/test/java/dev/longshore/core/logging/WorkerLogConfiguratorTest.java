package dev.longshore.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

class WorkerLogConfiguratorTest {
    @Test
    void withoutAConfigurationFileWorkersLogJsonLinesOnStdoutAtInfo() {
        LoggerContext context = new LoggerContext();
        Configurator.ExecutionStatus status = new WorkerLogConfigurator(name -> false).configure(context);

        assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, status);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> stdout = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDOUT"));
        assertEquals("System.out", stdout.getTarget());
        assertInstanceOf(JsonLineEncoder.class, stdout.getEncoder());
        assertEquals(Level.WARN, context.getLogger("software.amazon.awssdk").getLevel());
        context.stop();
    }

    @Test
    void aLogbackFileOnTheClassPathIsLeftToLogback() {
        LoggerContext context = new LoggerContext();
        Configurator.ExecutionStatus status = new WorkerLogConfigurator("logback.xml"::equals).configure(context);
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, status);
        assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT"));
    }

    @Test
    void theLevelIsWorkerLogLevelOrInfo() {
        assertEquals(Level.INFO, WorkerLogConfigurator.level(null));
        assertEquals(Level.INFO, WorkerLogConfigurator.level(" "));
        assertEquals(Level.DEBUG, WorkerLogConfigurator.level("debug"));
        assertEquals(Level.WARN, WorkerLogConfigurator.level(" WARN "));
        assertEquals(Level.INFO, WorkerLogConfigurator.level("loud"));
    }
}
