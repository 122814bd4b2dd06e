package dev.longshore.local.autoscale;

/** One scaling action, as the group's activity history would show it. */
public record Activity(double t, int from, int to, String reason) {
    @Override
    public String toString() {
        return String.format("+%-8s %s %d -> %d: %s", Figures.format(t), to > from ? "launch   " : "scale in ",
                from, to, reason);
    }
}
