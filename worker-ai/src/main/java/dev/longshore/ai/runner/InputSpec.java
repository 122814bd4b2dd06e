package dev.longshore.ai.runner;

import java.net.URI;
import java.util.Optional;

/**
 * A file the job needs before its task runs.
 *
 * @param name   file name under {@code inputs/} (or {@code models/}), also the placeholder's name
 * @param uri    {@code file://}, {@code http://} or {@code https://}
 * @param sha256 lower-case hex digest to verify before the task runs; empty skips the check
 */
public record InputSpec(String name, URI uri, Optional<String> sha256) {
}
