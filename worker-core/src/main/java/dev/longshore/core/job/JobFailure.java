package dev.longshore.core.job;

import java.util.Objects;
import java.util.regex.Pattern;

/** A handler's verdict on a failed job: a short machine-readable code and a reason a person can act on. */
public abstract sealed class JobFailure extends Exception permits PermanentFailure, RetryableFailure {
    private static final Pattern CODE = Pattern.compile("[a-z0-9_.-]{1,64}");

    private final String code;

    protected JobFailure(String code, String reason, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason"), cause);
        if (!CODE.matcher(Objects.requireNonNull(code, "code")).matches()) {
            throw new IllegalArgumentException("failure code must match " + CODE + ", was '" + code + "'");
        }
        this.code = code;
    }

    /** Short error code, e.g. {@code http_404}; sent as the {@code longshore.error} message attribute. */
    public String code() {
        return code;
    }

    /** Human-readable reason; sent as the {@code longshore.reason} message attribute. */
    public String reason() {
        return getMessage();
    }
}
