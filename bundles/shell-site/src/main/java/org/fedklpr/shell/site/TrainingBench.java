package org.fedklpr.shell.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.transport.WireCodec;

/**
 * Training throughput of the ResNet backbones at the re-ID input size (256x128, batch 32, SGD,
 * identity cross-entropy over Market-1501's 751 identities, flip + crop + random erasing), with the
 * achieved GFLOP/s (training counted as three forward passes), the fraction of each step spent
 * waiting for data, the process's peak memory from each network's start, and the cost of reading
 * and writing all parameters against a Market-1501 local epoch. The same network and shapes are
 * timed in PyTorch on the CPU (runtime/reference/pytorch_resnet_bench.py, Debian's python3-torch)
 * in the same run, in turns with the engine (see {@link TrainingTurns}), for a reference ratio.
 */
final class TrainingBench {
    private static final int HEIGHT = 256;
    private static final int WIDTH = 128;
    private static final int BATCH = 32;
    private static final int IDENTITIES = 751;
    /** Steps timed per turn; each of the engine's turns trains one step more (see {@link TrainingTurns}). */
    private static final int STEPS = 3;
    /**
     * How many times each framework is timed for {@link #STEPS} steps, in turns with the other. Eight:
     * with four, the pairs of one run spread by 0.08 and the median moved by 0.06 between runs.
     */
    static final int TURNS = 8;
    /** Market-1501's training split: the local epoch the parameter I/O is compared with. */
    private static final int MARKET_TRAIN_IMAGES = 12_936;
    /** The networks timed; {@code -Dfedklpr.bench.networks=resnet50} (FEDKLPR_JAVA_OPTS) narrows it. */
    private static final String NETWORKS = "resnet18,resnet50";

    private TrainingBench() {
    }

    /** What a FedKLPR client keeps of each weight matrix and kernel at the benchmark's target (55 % pruned). */
    private static final double KEPT = 0.45;

    static String run(LearningEngine engine, LocalObjective crossEntropy, WireCodec int8, Path home,
            BenchRatios ratios) {
        int threads = Runtime.getRuntime().availableProcessors();
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "Training at %dx%d, batch %d, %d identities, %d threads; each framework warmed up with one step,"
                        + " then timed for %d steady steps %d times, the two frameworks in turns (ABBA). Each of the"
                        + " engine's turns is a local training of one step more, whose first step also pays the"
                        + " training's set-up (below the table):%n%n"
                        + "| network | framework | images/s | s/step | GFLOP/s | data wait | peak RSS GB |%n"
                        + "|---|---|---|---|---|---|---|%n", HEIGHT, WIDTH, BATCH, IDENTITIES, threads, STEPS, TURNS));
        StringBuilder parameters = new StringBuilder(String.format(Locale.ROOT,
                "%nReading and writing every parameter, against a local epoch on Market-1501 (%,d images):%n%n"
                        + "| network | values | read s | write s | epoch s | (read + write) / epoch |%n"
                        + "|---|---|---|---|---|---|%n", MARKET_TRAIN_IMAGES));
        StringBuilder codec = new StringBuilder(String.format(Locale.ROOT,
                "%nEncoding and decoding a client's update with the int8 codec, %.0f %% of every weight matrix and "
                        + "kernel pruned (sparse indices), against the same epoch (median of 3):%n%n"
                        + "| network | values | bytes | encode s | decode s | (encode + decode) / epoch |%n"
                        + "|---|---|---|---|---|---|%n", 100 * (1 - KEPT)));
        ImageSet warmUp = images(BATCH, 1);
        ImageSet timed = images(BATCH * (STEPS + 1), 2);
        StringBuilder setUp = new StringBuilder(String.format(Locale.ROOT,
                "%nThe engine's set-up per local training: what a whole training of %d steps took beyond %d"
                        + " steady steps (median of the turns), against the same epoch:%n%n"
                        + "| network | set-up s | set-up / epoch |%n|---|---|---|%n", STEPS + 1, STEPS + 1));
        for (String architecture : System.getProperty("fedklpr.bench.networks", NETWORKS).split(",")) {
            // Each network's own peak, as PyTorch's process has only its own: what an earlier network
            // left (its Java copies, the pages malloc kept) is neither this network's nor a client's.
            boolean ownPeak = resetPeak();
            int embedding = architecture.equals("resnet50") ? 2048 : 512;
            TrainingTurns turns = new TrainingTurns(BATCH);
            long multiplyAdds;
            double peak;
            PyTorchReference reference = null;
            String referenceError = null;
            double referencePeak = Double.NaN;
            try (ReidNetwork network = engine.create(new NetworkSpec(architecture, HEIGHT, WIDTH, embedding,
                    IDENTITIES, 1))) {
                List<NamedObjective> objectives = List.of(new NamedObjective("identity-ce", crossEntropy));
                TrainingSettings settings = new TrainingSettings(1, BATCH, "sgd", 0.01f, 10f, 0.9f, 5e-4f, 0, 1, 0.5f);
                network.train(warmUp, labels(warmUp.size()), settings, objectives, ModelState.empty());
                try {
                    reference = PyTorchReference.start(home, architecture, HEIGHT, WIDTH, BATCH, IDENTITIES, threads);
                } catch (IOException e) {
                    referenceError = e.getMessage();
                }
                for (int turn = 0; turn < TURNS; turn++) {
                    // ABBA: a load that rises or falls steadily weighs on both frameworks alike.
                    boolean referenceFirst = turn % 2 == 1;
                    if (referenceFirst && reference != null) {
                        referenceError = turns.timeReference(reference, STEPS);
                        reference = referenceError == null ? reference : closed(reference);
                    }
                    StepClock clock = new StepClock();
                    TrainingReport report = network.train(timed, labels(timed.size()), settings, objectives,
                            ModelState.empty(), clock);
                    turns.engineTraining(clock.stepEnds(), report.seconds(), report.dataWaitSeconds());
                    if (!referenceFirst && reference != null) {
                        referenceError = turns.timeReference(reference, STEPS);
                        reference = referenceError == null ? reference : closed(reference);
                    }
                }
                if (reference != null) {
                    try {
                        referencePeak = reference.finish();
                    } catch (IOException e) {
                        referenceError = e.getMessage();
                    }
                }
                double imagesPerSecond = turns.engineImagesPerSecond();
                multiplyAdds = network.multiplyAddsPerImage();
                peak = peakResidentGigabytes();
                table.append(row(architecture, "FedKLPR (DJL 0.36 + MXNet 1.9.1 mkl)", imagesPerSecond,
                        BATCH / imagesPerSecond, multiplyAdds,
                        String.format(Locale.ROOT, "%.1f %%", 100 * turns.engineWaitFraction()),
                        String.format(Locale.ROOT, ownPeak ? "%.2f" : "%.2f (process so far)", peak)));

                long started = System.nanoTime();
                ModelState state = network.read(TensorScope.WHOLE_MODEL);
                double read = (System.nanoTime() - started) / 1e9;
                started = System.nanoTime();
                network.write(state);
                double write = (System.nanoTime() - started) / 1e9;
                double epoch = MARKET_TRAIN_IMAGES / imagesPerSecond;
                double setUpSeconds = turns.medianSetUpSeconds();
                setUp.append(String.format(Locale.ROOT, "| %s | %.3f | %.4f %% |%n", architecture, setUpSeconds,
                        100 * setUpSeconds / epoch));
                parameters.append(String.format(Locale.ROOT, "| %s | %,d | %.3f | %.3f | %.0f | %.4f %% |%n",
                        architecture, state.elementCount(), read, write, epoch, 100 * (read + write) / epoch));
                codec.append(codecCost(architecture, state, int8, epoch));
            } finally {
                if (reference != null) {
                    reference.close();
                }
            }
            if (referenceError != null || reference == null) {
                table.append(String.format(Locale.ROOT, "| %s | PyTorch: not run (%s) | | | | | |%n", architecture,
                        referenceError));
                continue;
            }
            double referenceImagesPerSecond = turns.referenceImagesPerSecond();
            table.append(row(architecture, reference.framework(), referenceImagesPerSecond,
                    BATCH / referenceImagesPerSecond, reference.multiplyAdds(), "n/a (one fixed batch)",
                    String.format(Locale.ROOT, "%.2f", referencePeak)));
            String spread = turns.ratioSpread();
            ratios.add(architecture + " training, images/s (median of " + TURNS + " turns; " + spread + ")",
                    String.format(Locale.ROOT, "%.2f", turns.engineImagesPerSecond()),
                    String.format(Locale.ROOT, "%.2f (%s)", referenceImagesPerSecond, reference.framework()),
                    turns.medianRatio(), "at least 1");
            ratios.add(architecture + " training, peak RSS GB (" + (ownPeak ? "from this network's start"
                    : "process so far") + " / PyTorch's process)",
                    String.format(Locale.ROOT, "%.2f", peak), String.format(Locale.ROOT, "%.2f", referencePeak),
                    peak / referencePeak, "at most 1");
            table.append(String.format(Locale.ROOT, "| %s | ratio FedKLPR / PyTorch, median of %d turns (%s) | %.2f"
                    + " | | | | |%n", architecture, TURNS, spread, turns.medianRatio()));
            if (reference.multiplyAdds() != multiplyAdds) {
                table.append(String.format(Locale.ROOT, "| %s | NOTE: PyTorch counts %,d multiply-adds per"
                        + " image, the engine %,d | | | | | |%n", architecture, reference.multiplyAdds(),
                        multiplyAdds));
            }
        }
        return table.append(setUp).append(parameters).append(codec).toString();
    }

    private static PyTorchReference closed(PyTorchReference reference) {
        reference.close();
        return null;
    }

    /** The update a pruned client sends (its pruned elements zero, the mask beside them), timed through {@code int8}. */
    private static String codecCost(String architecture, ModelState state, WireCodec int8, double epoch) {
        SplittableRandom random = new SplittableRandom(1);
        Map<String, Tensor> pruned = new LinkedHashMap<>();
        Map<String, BitSet> kept = new LinkedHashMap<>();
        state.tensors().forEach((name, tensor) -> {
            if (tensor.shape().length < 2) {
                pruned.put(name, tensor);
                return;
            }
            float[] values = tensor.values().clone();
            BitSet mask = new BitSet(values.length);
            for (int i = 0; i < values.length; i++) {
                if (random.nextDouble() < KEPT) {
                    mask.set(i);
                } else {
                    values[i] = 0;
                }
            }
            pruned.put(name, new Tensor(tensor.shape(), values));
            kept.put(name, mask);
        });
        ModelState update = ModelState.of(pruned);
        ModelMask mask = ModelMask.of(kept);
        double[] encode = new double[3];
        double[] decode = new double[3];
        byte[] bytes = int8.encode(update, mask);
        int8.decode(bytes);
        for (int k = 0; k < encode.length; k++) {
            long started = System.nanoTime();
            bytes = int8.encode(update, mask);
            encode[k] = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            int8.decode(bytes);
            decode[k] = (System.nanoTime() - started) / 1e9;
        }
        Arrays.sort(encode);
        Arrays.sort(decode);
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %.3f | %.3f | %.3f %% |%n", architecture,
                update.elementCount(), bytes.length, encode[1], decode[1], 100 * (encode[1] + decode[1]) / epoch);
    }

    private static String row(String architecture, String framework, double imagesPerSecond, double secondsPerStep,
            long multiplyAdds, String wait, String memory) {
        double gflops = multiplyAdds > 0 ? 3 * 2.0 * multiplyAdds * imagesPerSecond / 1e9 : Double.NaN;
        return String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.0f | %s | %s |%n", architecture, framework,
                imagesPerSecond, secondsPerStep, gflops, wait, memory);
    }

    /** Random pixels: the cost of a training step does not depend on what the images show. */
    private static ImageSet images(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ReidImage> images = new ArrayList<>();
        byte[][] pixels = new byte[count][HEIGHT * WIDTH * 3];
        for (int i = 0; i < count; i++) {
            images.add(new ReidImage(Path.of("bench-" + i + ".jpg"), 1 + i % IDENTITIES, 1 + i % 6));
            for (int p = 0; p < pixels[i].length; p++) {
                pixels[i][p] = (byte) random.nextInt(256);
            }
        }
        return new ImageSet(images, pixels, HEIGHT, WIDTH, List.of());
    }

    private static int[] labels(int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % IDENTITIES;
        }
        return labels;
    }

    /**
     * Starts the peak memory count afresh (Linux: VmHWM is reset to what the process holds now), after a
     * full collection so that the Java heap shrinks to what is alive; closed networks have already
     * handed their native memory back. False where the count cannot be reset: peaks are then the
     * process's so far.
     */
    private static boolean resetPeak() {
        System.gc();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** VmHWM (Linux): the most memory this process has held since it started or {@link #resetPeak}. */
    private static double peakResidentGigabytes() {
        long kilobytes = ProcStatus.kilobytes(Path.of("/proc/self/status"), ProcStatus.PEAK);
        return kilobytes == 0 ? Double.NaN : kilobytes / 1024.0 / 1024.0; // not Linux: NaN
    }
}
