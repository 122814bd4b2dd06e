package dev.longshore.ai.task;

/** The task file cannot be used; the message says where and why. */
public final class TaskFileException extends Exception {
    public TaskFileException(String message) {
        super(message);
    }

    public TaskFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
