package dev.longshore.local.autoscale;

/**
 * What one evaluation decided: launch or terminate some instances, or hold; {@code reason} says why in words an
 * operator reads in the activity history.
 */
public record ScalingDecision(int launch, int terminate, String reason) {
    public ScalingDecision {
        if (launch < 0 || terminate < 0 || (launch > 0 && terminate > 0)) {
            throw new IllegalArgumentException("a decision launches or terminates, not both: " + launch + "/" + terminate);
        }
    }

    public static ScalingDecision hold(String reason) {
        return new ScalingDecision(0, 0, reason);
    }

    public static ScalingDecision launch(int count, String reason) {
        return new ScalingDecision(count, 0, reason);
    }

    public static ScalingDecision terminate(int count, String reason) {
        return new ScalingDecision(0, count, reason);
    }

    public boolean changes() {
        return launch > 0 || terminate > 0;
    }
}
