package org.fedklpr.shell.site;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The timings of {@code bench training}'s turns for one network: the engine and the PyTorch
 * reference timed alternately for the same number of steps. Each turn of the engine and the
 * reference's turn beside it make one pair, and the speed ratio reported is the median of the
 * pairs' ratios, with their range: a burst of load elsewhere on the machine moves one pair, not
 * the figure.
 *
 * <p>Both sides are timed over steady steps. The reference script builds its optimiser once and
 * answers each turn with steps only; each turn of the engine is a whole local training, whose first
 * step also pays what a local training sets up (the optimiser's momentum, the batch pipeline, the
 * memory the previous training gave back). So the engine's turn trains one step more than it is
 * timed for, and that set-up is reported on its own ({@link #medianSetUpSeconds()}): once a round,
 * it weighs on a three-step turn, not on a local epoch.
 */
final class TrainingTurns {
    private final int batch;
    private final List<double[]> engine = new ArrayList<>(); // {steps, seconds, data wait seconds, call seconds}
    private final List<double[]> reference = new ArrayList<>(); // {steps, seconds}
    private final List<Double> setUps = new ArrayList<>();

    TrainingTurns(int batch) {
        this.batch = batch;
    }

    void engine(int steps, double seconds, double waitSeconds) {
        engine.add(new double[] {steps, seconds, waitSeconds, seconds});
    }

    /**
     * One local training of the engine: the steps after the first are its timed steps, and what the
     * whole call took beyond that many steady steps is its set-up.
     *
     * @param stepEnds seconds from the call's start to the end of each step, in order (see {@link StepClock})
     * @param callSeconds the whole call
     * @param waitSeconds the call's time waiting for batches
     * @throws IllegalStateException when fewer than two steps were taken
     */
    void engineTraining(double[] stepEnds, double callSeconds, double waitSeconds) {
        if (stepEnds.length < 2) {
            throw new IllegalStateException("a timed local training needs at least two steps, it took "
                    + stepEnds.length);
        }
        int timed = stepEnds.length - 1;
        double seconds = stepEnds[timed] - stepEnds[0];
        engine.add(new double[] {timed, seconds, waitSeconds, callSeconds});
        setUps.add(callSeconds - stepEnds.length * seconds / timed);
    }

    /** The median of the engine's set-up per local training; NaN when none was timed. */
    double medianSetUpSeconds() {
        return median(setUps.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    void reference(int steps, double seconds) {
        reference.add(new double[] {steps, seconds});
    }

    /** Times {@code steps} steps of the reference; the error's message, or null when it answered. */
    String timeReference(PyTorchReference pytorch, int steps) {
        try {
            reference(steps, pytorch.secondsFor(steps));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** All the engine's images over all its seconds. */
    double engineImagesPerSecond() {
        return imagesPerSecond(engine);
    }

    double referenceImagesPerSecond() {
        return imagesPerSecond(reference);
    }

    /** The engine's time waiting for batches over the whole of its calls. */
    double engineWaitFraction() {
        double seconds = engine.stream().mapToDouble(turn -> turn[3]).sum();
        return seconds > 0 ? engine.stream().mapToDouble(turn -> turn[2]).sum() / seconds : 0;
    }

    /** The engine's speed over the reference's, turn by turn, sorted; as many as both have timed. */
    double[] pairRatios() {
        int pairs = Math.min(engine.size(), reference.size());
        double[] ratios = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratios[i] = speed(engine.get(i)) / speed(reference.get(i));
        }
        Arrays.sort(ratios);
        return ratios;
    }

    /** The median of {@link #pairRatios()}; NaN when no pair was timed. */
    double medianRatio() {
        return median(pairRatios());
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** "pairs 0.97–1.08", the range of the pairs' ratios. */
    String ratioSpread() {
        double[] ratios = pairRatios();
        return ratios.length == 0 ? "no pairs"
                : String.format(Locale.ROOT, "pairs %.2f–%.2f", ratios[0], ratios[ratios.length - 1]);
    }

    private double speed(double[] turn) {
        return turn[0] * batch / turn[1];
    }

    private double imagesPerSecond(List<double[]> turns) {
        double images = turns.stream().mapToDouble(turn -> turn[0] * batch).sum();
        double seconds = turns.stream().mapToDouble(turn -> turn[1]).sum();
        return seconds > 0 ? images / seconds : Double.NaN;
    }
}
