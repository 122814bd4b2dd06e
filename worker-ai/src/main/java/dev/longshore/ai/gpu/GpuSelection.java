package dev.longshore.ai.gpu;

import dev.longshore.ai.nvml.GpuInfo;
import dev.longshore.ai.nvml.GpuSnapshot;
import dev.longshore.ai.nvml.MigInstance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which units of a snapshot may take a job, and why the others may not: a pure function, so the gate and the
 * job start decide the same way.
 *
 * @param usable   best first: fewest jobs already on it, then most free memory
 * @param problems one line per GPU or unit that was refused
 */
public record GpuSelection(List<GpuUnit> usable, List<String> problems) {
    public GpuSelection {
        usable = List.copyOf(usable);
        problems = List.copyOf(problems);
    }

    public static GpuSelection of(GpuSnapshot snapshot, GpuRequirements req, Map<String, Integer> jobsPerUnit) {
        List<GpuUnit> usable = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (snapshot.gpus().isEmpty()) {
            problems.add("NVML reports no GPU");
        }
        for (GpuInfo gpu : snapshot.gpus()) {
            if (gpu.migMode() == GpuInfo.MigMode.ENABLED) {
                if (gpu.migInstances().isEmpty()) {
                    problems.add(gpu.uuid() + " has MIG enabled but no MIG instance");
                }
                for (MigInstance mig : gpu.migInstances()) {
                    judge(new GpuUnit(mig.uuid(), gpu.uuid(), mig.memoryTotal(), mig.memoryFree(), gpu.temperatureC()),
                            req, usable, problems);
                }
            } else {
                judge(new GpuUnit(gpu.uuid(), gpu.uuid(), gpu.memoryTotal(), gpu.memoryFree(), gpu.temperatureC()),
                        req, usable, problems);
            }
        }
        usable.sort(Comparator.<GpuUnit>comparingInt(u -> jobsPerUnit.getOrDefault(u.uuid(), 0))
                .thenComparing(Comparator.comparingLong(GpuUnit::memoryFree).reversed())
                .thenComparing(GpuUnit::uuid));
        return new GpuSelection(usable, problems);
    }

    private static void judge(GpuUnit unit, GpuRequirements req, List<GpuUnit> usable, List<String> problems) {
        boolean ok = true;
        if (unit.memoryFree() < req.minFreeMemory()) {
            problems.add(unit.uuid() + " has " + bytes(unit.memoryFree()) + " free, "
                    + bytes(req.minFreeMemory()) + " required");
            ok = false;
        }
        if (unit.temperatureC().isPresent() && unit.temperatureC().getAsInt() > req.maxTemperature()) {
            problems.add(unit.uuid() + " is at " + unit.temperatureC().getAsInt() + "°C, above the "
                    + req.maxTemperature() + "°C limit");
            ok = false;
        }
        if (ok) {
            usable.add(unit);
        }
    }

    /** Why no job can be taken, for the readiness endpoint. */
    public String reason() {
        return "no usable GPU: " + String.join("; ", problems);
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        return n + " B";
    }
}
