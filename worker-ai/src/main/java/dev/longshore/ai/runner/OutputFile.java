package dev.longshore.ai.runner;

/** One file the task wrote under {@code outputs/}: its path relative to it, size in bytes and sha256. */
public record OutputFile(String path, long size, String sha256) {
}
