package dev.longshore.ai.task;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** The task file cannot be used; the message (one line) says where and why. */
public final class TaskFileException extends Exception {
    public TaskFileException(String message) {
        super(message);
    }

    public TaskFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A structural mistake found while reading (a key given twice), reported like a parser's. */
    static final class Syntax extends JsonProcessingException {
        private final String problem;

        Syntax(String problem, JsonLocation at) {
            super(problem, at);
            this.problem = problem;
        }

        String problem() {
            return problem;
        }
    }
}
