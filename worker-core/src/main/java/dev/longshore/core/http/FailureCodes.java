package dev.longshore.core.http;

/**
 * The {@code longshore.error} codes one caller's fetches fail with: {@code webhook_timeout} for webhooks,
 * {@code input_timeout} for downloads. The refusal keeps each worker's existing code (README: Security).
 *
 * @param prefix  put before every transport code ({@code timeout}, {@code connection}, {@code too_large}...)
 * @param refused the code of a destination the policy refuses
 */
public record FailureCodes(String prefix, String refused) {
    public static final FailureCodes WEBHOOK = new FailureCodes("webhook", "webhook_forbidden_address");
    public static final FailureCodes INPUT = new FailureCodes("input", "input_forbidden");

    public String of(String suffix) {
        return prefix + "_" + suffix;
    }
}
