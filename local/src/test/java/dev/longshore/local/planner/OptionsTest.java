package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.autoscale.LoadShape;
import dev.longshore.local.autoscale.ProcessingTime;
import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void variantsAnswerMinTargetAndMaxFromTheAdvice() {
        ScalingPolicy base = ScalingPolicy.aws(0, 10, 4, Duration.ofSeconds(180));
        Map<String, ScalingPolicy> v = Options.variants(base, new Options.MaxAdvice(25, "ceil(100/4)", false));
        assertEquals(base, v.get("as given"));
        assertEquals(1, v.get("Min=1").min());
        assertEquals(2, v.get("target 2 (x0.5)").target());
        assertEquals(3, v.get("target 3 (x0.75)").target());
        assertEquals(8, v.get("target 8 (x2)").target());
        assertEquals(26, v.get("max 26 = ceil(100/4)+1").max());
        assertEquals(27, v.get("max 27 = ceil(100/4)+2").max());
        assertEquals(20, v.get("max 20 (x2)").max());
    }

    @Test
    void anUndersizedMaxIsAdvisedFromTheSteadyLoadNotFromTheBacklogItCaused() {
        // 1/s x 30 s / 4 with max 2: the queue grows by 1 - 8/30 = 0.73 jobs/s; the peak backlog is huge
        Workload load = Workload.generate(LoadShape.parse("1/s@0-4h"), false, ProcessingTime.parse("const:30s"), 1, "j-");
        ScalingPolicy policy = ScalingPolicy.aws(1, 2, 4, Duration.ofSeconds(180));
        InstanceModel model = new InstanceModel(4, 120, 2.5, 0.0168);
        SimulationResult r = new Simulation(load, policy, model, 0).run();
        Capacity capacity = Capacity.of(LoadShape.parse("1/s@0-4h"), load, 4, 4);
        assertTrue(capacity.undersized(2));
        assertTrue(r.peakQueue() > 10_000, "the queue grew: " + r.peakQueue());
        Options.MaxAdvice advice = Options.adviseMax(policy, r, capacity);
        assertEquals(8, advice.instances(), "ceil(1 x 30 / 4)");
        assertTrue(advice.steady());
        assertTrue(capacity.describe(2).contains("max 2 is UNDERSIZED"), capacity.describe(2));
        assertTrue(capacity.describe(2).contains("at least 8"), capacity.describe(2));
        assertFalse(capacity.undersized(8));
    }

    @Test
    void costIsCountedOverOneWindowSoMinOnePaysForItsIdleInstance() {
        // one 30 s job; Min=0 settles at 962.5 s (see SimulationTest); Min=1 is done at 30 s and then idles
        Workload one = new Workload(List.of(new Workload.Job("a", 0, 30)));
        ScalingPolicy base = ScalingPolicy.aws(0, 10, 20, Duration.ofSeconds(180));
        InstanceModel model = new InstanceModel(1, 120, 2.5, 3.6);
        List<Options.Row> rows = new Options(one, model, 0).compare(
                Options.variants(base, new Options.MaxAdvice(1, "ceil(1/20)", false)));
        Options.Row zero = rows.get(0);
        Options.Row minOne = rows.get(1);
        assertEquals(962.5 / 3600, zero.instanceHours(), 1e-9);
        assertEquals(962.5 / 3600, minOne.instanceHours(), 1e-9, "the kept instance over the same 962.5 s window");
        assertEquals(0, minOne.result().firstJobWait(), 1e-9);
        assertEquals(120, zero.result().firstJobWait(), 1e-9);
        assertTrue(minOne.cost() > 0.96);
    }
}
