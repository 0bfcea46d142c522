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
 */
final class TrainingTurns {
    private final int batch;
    private final List<double[]> engine = new ArrayList<>(); // {steps, seconds, data wait seconds}
    private final List<double[]> reference = new ArrayList<>(); // {steps, seconds}

    TrainingTurns(int batch) {
        this.batch = batch;
    }

    void engine(int steps, double seconds, double waitSeconds) {
        engine.add(new double[] {steps, seconds, waitSeconds});
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

    double engineWaitFraction() {
        double seconds = engine.stream().mapToDouble(turn -> turn[1]).sum();
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
        double[] ratios = pairRatios();
        if (ratios.length == 0) {
            return Double.NaN;
        }
        int middle = ratios.length / 2;
        return ratios.length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
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
