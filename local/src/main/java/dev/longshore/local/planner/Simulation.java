package dev.longshore.local.planner;

import dev.longshore.local.autoscale.Autoscaler;
import dev.longshore.local.autoscale.Activity;
import dev.longshore.local.autoscale.Figures;
import dev.longshore.local.autoscale.Observation;
import dev.longshore.local.autoscale.Percentiles;
import dev.longshore.local.autoscale.ScalingDecision;
import dev.longshore.local.autoscale.ScalingPolicy;
import dev.longshore.local.autoscale.Timeline;
import dev.longshore.local.autoscale.Workload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event model of a group under the {@link Autoscaler}: jobs arrive, wait in the queue, run on an in-service
 * instance with a free slot, and the policy is evaluated every period. Events at the same instant are taken in
 * this order: jobs finishing, instances coming into service, arrivals, scale-in notices, then the evaluation, so
 * the evaluation at time t sees everything that happened at t. The policy is evaluated at 0 (or a given first
 * evaluation time) and every period after. A free slot takes the oldest waiting job at once
 * (long polling); the oldest instance fills first. The instances at {@code min} are in service and warm at 0.
 *
 * <p>The simulation ends when every job has finished and the group is back at min with nothing booting or
 * draining, and not before the horizon when one is given (the group then idles at min until it).
 */
public final class Simulation {
    /** Guards against a scenario that never settles (it cannot happen with max >= 1, but a model should not hang). */
    private static final double GIVE_UP_AFTER_LAST_ARRIVAL = 30 * 86_400;

    private static final int DONE = 0;
    private static final int READY = 1;
    private static final int NOTICE = 3;
    private static final int TICK = 4;

    private record Event(double t, int kind, long seq, Instance instance, int job) {
    }

    private static final class Instance {
        final int id;
        final double launchedAt;
        final boolean initial;
        double readyAt = Double.NaN;
        int busy;
        boolean scaledIn;
        boolean noticed;

        Instance(int id, double launchedAt, boolean initial) {
            this.id = id;
            this.launchedAt = launchedAt;
            this.initial = initial;
        }

        boolean ready() {
            return !Double.isNaN(readyAt);
        }

        boolean takesJobs() {
            return ready() && !noticed;
        }
    }

    private final ScalingPolicy policy;
    private final InstanceModel model;
    private final double horizon;
    private final Autoscaler autoscaler;
    private final double[] at;
    private final double[] processing;
    private final double[] started;
    private final double[] finished;
    private final double period;
    private final double warmup;
    private final double firstEvaluation;
    private double[] boots = new double[0];

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.t != b.t ? Double.compare(a.t, b.t)
            : a.kind != b.kind ? Integer.compare(a.kind, b.kind) : Long.compare(a.seq, b.seq));
    private final List<Instance> alive = new ArrayList<>();
    private final ArrayDeque<Integer> queue = new ArrayDeque<>();
    private final List<Activity> activities = new ArrayList<>();
    private final Timeline timeline;
    private long seq;
    private int nextId = 1;
    private int nextArrival;
    private int completed;
    private int booting;
    private int inService;
    private int draining;
    private int inFlight;
    private int freeSlots;
    private int launched;
    private int peakDesired;
    private int peakRunning;
    private int peakQueue;
    private int peakWork;
    private int scaledIn;
    private int scaledInBusy;
    private double instanceSeconds;
    private double cost;
    private double lastFinish = Double.NaN;

    /**
     * @param horizon simulate at least this long (seconds; 0: until the work is done and the group settled at min)
     */
    public Simulation(Workload workload, ScalingPolicy policy, InstanceModel model, double horizon) {
        this(workload, policy, model, horizon, 0);
    }

    /**
     * @param firstEvaluation when the policy is first evaluated; then every period (a measured run's evaluations
     *                        start when its first jobs are in the queue)
     */
    public Simulation(Workload workload, ScalingPolicy policy, InstanceModel model, double horizon, double firstEvaluation) {
        if (horizon < 0 || firstEvaluation < 0) {
            throw new IllegalArgumentException("horizon must not be negative");
        }
        this.policy = policy;
        this.model = model;
        this.horizon = horizon;
        this.autoscaler = new Autoscaler(policy);
        int n = workload.size();
        this.at = new double[n];
        this.processing = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = workload.jobs().get(i).at();
            processing[i] = workload.jobs().get(i).processing();
        }
        this.started = new double[n];
        this.finished = new double[n];
        Arrays.fill(started, Double.NaN);
        Arrays.fill(finished, Double.NaN);
        this.period = Figures.seconds(policy.period());
        this.warmup = Figures.seconds(policy.warmup());
        this.firstEvaluation = firstEvaluation;
        double span = horizon > 0 ? horizon : Math.max(workload.lastArrival() * 1.5, 600);
        this.timeline = new Timeline(Math.max(0.05, span / 2000));
    }

    /**
     * Boot times for the instances launched, in launch order (a measured run's); instances beyond the list boot in
     * {@link InstanceModel#bootSeconds()}.
     */
    public Simulation withBootSequence(double[] bootSeconds) {
        this.boots = bootSeconds.clone();
        return this;
    }

    public SimulationResult run() {
        for (int i = 0; i < policy.min(); i++) {
            Instance initial = new Instance(nextId++, 0, true);
            initial.readyAt = 0;
            alive.add(initial);
            inService++;
            freeSlots += model.concurrency();
        }
        schedule(firstEvaluation, TICK, null, -1);
        long ticks = 0;
        double now = 0;
        double giveUp = (at.length == 0 ? 0 : at[at.length - 1]) + GIVE_UP_AFTER_LAST_ARRIVAL;
        while (true) {
            Event next = events.peek();
            boolean arrivalFirst = nextArrival < at.length && (next == null || at[nextArrival] < next.t
                    || (at[nextArrival] == next.t && next.kind > READY));
            double t = arrivalFirst ? at[nextArrival] : next.t;
            if (settled() && t > horizon) {
                // done, and the window asked for is covered: the group idles at min until its end
                now = Math.max(now, horizon);
                break;
            }
            if (t > giveUp) {
                now = t;
                break;
            }
            now = t;
            if (arrivalFirst) {
                queue.add(nextArrival++);
                dispatch(now);
            } else {
                events.poll();
                switch (next.kind) {
                    case DONE -> finish(next.instance, next.job, now);
                    case READY -> ready(next.instance, now);
                    case NOTICE -> notice(next.instance, now);
                    default -> {
                        evaluate(now);
                        ticks++;
                        schedule(firstEvaluation + ticks * period, TICK, null, -1);
                    }
                }
            }
            observe(now);
        }
        for (Instance i : alive) {
            bill(i, now);
        }
        return result(now);
    }

    private boolean settled() {
        return nextArrival == at.length && completed == at.length && booting == 0 && draining == 0
                && inService == policy.min();
    }

    private void schedule(double t, int kind, Instance instance, int job) {
        events.add(new Event(t, kind, seq++, instance, job));
    }

    private void dispatch(double now) {
        if (queue.isEmpty() || freeSlots == 0) {
            return;
        }
        for (Instance i : alive) {
            while (i.takesJobs() && i.busy < model.concurrency() && !queue.isEmpty()) {
                int job = queue.poll();
                i.busy++;
                freeSlots--;
                inFlight++;
                started[job] = now;
                schedule(now + processing[job], DONE, i, job);
            }
            if (queue.isEmpty() || freeSlots == 0) {
                return;
            }
        }
    }

    private void finish(Instance i, int job, double now) {
        i.busy--;
        inFlight--;
        finished[job] = now;
        completed++;
        lastFinish = now;
        if (i.takesJobs()) {
            freeSlots++;
            dispatch(now);
        } else if (i.noticed && i.busy == 0) {
            terminate(i, now);
        }
    }

    private void ready(Instance i, double now) {
        i.readyAt = now;
        booting--;
        inService++;
        freeSlots += model.concurrency();
        dispatch(now);
    }

    private void notice(Instance i, double now) {
        i.noticed = true;
        freeSlots -= model.concurrency() - i.busy;
        if (i.busy == 0) {
            terminate(i, now);
        }
    }

    private void terminate(Instance i, double now) {
        alive.remove(i);
        draining--;
        bill(i, now);
    }

    private void bill(Instance i, double now) {
        double lived = now - i.launchedAt;
        instanceSeconds += lived;
        cost += model.cost(lived);
    }

    private void evaluate(double now) {
        int warming = 0;
        int idle = 0;
        for (Instance i : alive) {
            if (i.ready() && !i.scaledIn && !i.initial && now - i.readyAt < warmup) {
                warming++;
            }
            if (i.ready() && !i.scaledIn && i.busy == 0) {
                idle++;
            }
        }
        Observation o = new Observation(queue.size(), inFlight, booting, inService, warming, draining, idle);
        ScalingDecision d = autoscaler.evaluate(o);
        if (!d.changes()) {
            return;
        }
        int before = o.desired();
        for (int n = 0; n < d.launch(); n++) {
            Instance i = new Instance(nextId++, now, false);
            alive.add(i);
            booting++;
            double boot = launched < boots.length ? boots[launched] : model.bootSeconds();
            launched++;
            schedule(now + boot, READY, i, -1);
        }
        for (int n = 0; n < d.terminate(); n++) {
            // the newest idle instance: busy ones hold scale-in protection (Autoscaler caps the count at the idle ones)
            Instance newest = null;
            for (Instance i : alive) {
                if (i.ready() && !i.scaledIn && i.busy == 0 && (newest == null || i.launchedAt >= newest.launchedAt)) {
                    newest = i;
                }
            }
            newest.scaledIn = true;
            scaledIn++;
            if (newest.busy > 0) {
                scaledInBusy++;
            }
            inService--;
            draining++;
            schedule(now + model.noticeSeconds(), NOTICE, newest, -1);
        }
        activities.add(new Activity(now, before, before + d.launch() - d.terminate(), d.reason()));
    }

    private void observe(double now) {
        peakDesired = Math.max(peakDesired, booting + inService);
        peakRunning = Math.max(peakRunning, booting + inService + draining);
        peakQueue = Math.max(peakQueue, queue.size());
        peakWork = Math.max(peakWork, queue.size() + inFlight);
        timeline.record(now, queue.size(), inFlight, booting, inService, draining);
    }

    private SimulationResult result(double end) {
        double[] latency = new double[completed];
        double[] waits = new double[at.length];
        int l = 0;
        int w = 0;
        for (int j = 0; j < at.length; j++) {
            if (!Double.isNaN(finished[j])) {
                latency[l++] = finished[j] - at[j];
            }
            if (!Double.isNaN(started[j])) {
                waits[w++] = started[j] - at[j];
            }
        }
        double firstWait = at.length > 0 && !Double.isNaN(started[0]) ? started[0] - at[0] : Double.NaN;
        double drain = completed == at.length && at.length > 0 ? lastFinish - at[0] : Double.NaN;
        double afterLast = completed == at.length && at.length > 0 ? lastFinish - at[at.length - 1] : Double.NaN;
        return new SimulationResult(at.length, completed, drain, afterLast, new Percentiles(latency),
                new Percentiles(Arrays.copyOf(waits, w)), firstWait, peakDesired, peakRunning, peakQueue, peakWork, launched, scaledIn, scaledInBusy,
                instanceSeconds, cost, end, List.copyOf(activities), timeline);
    }
}
