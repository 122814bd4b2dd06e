package dev.longshore.core.job;

import java.util.Objects;
import java.util.Set;

/** {@link JobHandler#of}: most test and benchmark workers take one message type and need nothing closed. */
record SingleTypeHandler(String type, JobHandler.Work work) implements JobHandler {
    SingleTypeHandler {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(work, "work");
    }

    @Override
    public Set<String> types() {
        return Set.of(type);
    }

    @Override
    public void handle(Job job, JobContext context) throws Exception {
        work.handle(job, context);
    }
}
