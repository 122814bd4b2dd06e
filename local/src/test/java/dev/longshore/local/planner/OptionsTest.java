package dev.longshore.local.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void variantsAnswerMinTargetAndMaxFromThePeakBacklog() {
        ScalingPolicy base = ScalingPolicy.aws(0, 10, 20, Duration.ofSeconds(180));
        Map<String, ScalingPolicy> v = Options.variants(base, 500);
        assertEquals(base, v.get("as given"));
        assertEquals(1, v.get("Min=1").min());
        assertEquals(5, v.get("target 5").target());
        assertEquals(10, v.get("target 10").target());
        assertEquals(40, v.get("target 40").target());
        assertEquals(26, v.get("max 26 = ceil(500/20)+1").max());
        assertEquals(27, v.get("max 27 = ceil(500/20)+2").max());
        assertEquals(20, v.get("max 20 (x2)").max());
    }

    @Test
    void costIsCountedOverOneWindowSoMinOnePaysForItsIdleInstance() {
        // one 30 s job; Min=0 settles at 962.5 s (see SimulationTest); Min=1 is done at 30 s and then idles
        Workload one = new Workload(List.of(new Workload.Job("a", 0, 30)));
        ScalingPolicy base = ScalingPolicy.aws(0, 10, 20, Duration.ofSeconds(180));
        InstanceModel model = new InstanceModel(1, 120, 2.5, 3.6);
        List<Options.Row> rows = new Options(one, model, 0).compare(Options.variants(base, 1));
        Options.Row zero = rows.get(0);
        Options.Row minOne = rows.get(1);
        assertEquals(962.5 / 3600, zero.instanceHours(), 1e-9);
        assertEquals(962.5 / 3600, minOne.instanceHours(), 1e-9, "the kept instance over the same 962.5 s window");
        assertEquals(0, minOne.result().firstJobWait(), 1e-9);
        assertEquals(120, zero.result().firstJobWait(), 1e-9);
        assertTrue(minOne.cost() > 0.96);
    }
}
