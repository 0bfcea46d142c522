package org.fedklpr.shell.site;

import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.engine.ReidNetwork;

/** When each step of one local training ended, in seconds from the clock's creation. */
final class StepClock implements ReidNetwork.StepListener {
    private final long started = System.nanoTime();
    private final List<Double> ends = new ArrayList<>();

    @Override
    public void stepDone(int step, int steps, long images) {
        ends.add((System.nanoTime() - started) / 1e9);
    }

    double[] stepEnds() {
        return ends.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
