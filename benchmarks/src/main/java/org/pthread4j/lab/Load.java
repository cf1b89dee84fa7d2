package org.pthread4j.lab;

import java.util.Locale;

/**
 * The machine's state over an interval: load averages at both ends, and who used the CPUs
 * between them, as fractions of all CPUs' time ({@code /proc/stat}): the lab's processes
 * (the driver and its reaped children, {@code /proc/self/stat}), every other process, and
 * the hypervisor's steal. Null fields: {@code /proc} could not be read.
 */
record Load(double[] loadBefore, double[] loadAfter, int cpus, double lab, double others, double steal) {

    /** Other processes or steal took at least this fraction of the CPUs: the figures are noisy. */
    static final double BUSY = 0.10;

    /** One reading of the counters. */
    record Mark(double[] loadavg, long[] cpu, long own) {}

    static Mark mark() {
        return new Mark(Proc.loadavg(), Proc.cpuTicks(), Proc.ownTicks());
    }

    static Load between(Mark a, Mark b) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (a.cpu() == null || b.cpu() == null || a.own() < 0 || b.own() < 0 || b.cpu()[0] <= a.cpu()[0]) {
            return new Load(a.loadavg(), b.loadavg(), cpus, Double.NaN, Double.NaN, Double.NaN);
        }
        double total = b.cpu()[0] - a.cpu()[0];
        double idle = b.cpu()[1] - a.cpu()[1];
        double steal = b.cpu()[2] - a.cpu()[2];
        double lab = b.own() - a.own();
        double others = Math.max(0, total - idle - steal - lab);
        return new Load(a.loadavg(), b.loadavg(), cpus, Math.min(1, lab / total), others / total, steal / total);
    }

    /** Whether other processes (or the hypervisor) took enough of the CPUs to make figures noisy. */
    boolean busy() {
        return !Double.isNaN(others) && others + steal >= BUSY;
    }

    /** The line above the table on a busy machine, else null. */
    String warning() {
        if (!busy()) {
            return null;
        }
        String stolen = steal >= 0.01 ? String.format(Locale.ROOT, " (and the hypervisor stole %.0f%%)", steal * 100) : "";
        return String.format(Locale.ROOT, "other processes used %.0f%% of the CPUs during the run%s: "
                + "figures are noisy; verdicts still hold", others * 100, stolen);
    }

    /** The readings, for the table's header. */
    String summary() {
        String avg = loadBefore == null || loadAfter == null ? "load average unknown"
                : String.format(Locale.ROOT, "load average %.2f → %.2f", loadBefore[0], loadAfter[0]);
        String use = Double.isNaN(others) ? "CPU use unknown"
                : String.format(Locale.ROOT, "CPU time: lab %.0f%%, other processes %.0f%%, steal %.0f%%",
                        lab * 100, others * 100, steal * 100);
        return avg + " on " + cpus + " CPUs; " + use;
    }

    String json() {
        return String.format(Locale.ROOT, "{\"cpus\": %d, \"loadavg_before\": %s, \"loadavg_after\": %s, "
                + "\"lab_percent\": %s, \"others_percent\": %s, \"steal_percent\": %s, \"busy\": %s}",
                cpus, array(loadBefore), array(loadAfter), pct(lab), pct(others), pct(steal), busy());
    }

    private static String array(double[] v) {
        return v == null ? "null" : String.format(Locale.ROOT, "[%.2f, %.2f, %.2f]", v[0], v[1], v[2]);
    }

    private static String pct(double f) {
        return Double.isNaN(f) ? "null" : String.format(Locale.ROOT, "%.1f", f * 100);
    }
}
