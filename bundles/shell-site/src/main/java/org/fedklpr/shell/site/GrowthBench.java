package org.fedklpr.shell.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether memory stays flat as a process goes on, read from the outside while it runs:
 * <ul>
 * <li>rounds: the demo ({@code features/demo.json}) run for many rounds as its own {@code fedklpr run}
 * process, its resident memory read at the end of every round (when the round's "mean" line is
 * printed); the first ten rounds from round 10 on against the last ten. Ten-round means, because
 * one reading depends on where in its allocation cycle the process stands when the line appears
 * (single readings of one run have spread by 120 MB);</li>
 * <li>runs: one {@code fedklpr compare} process running FedKLPR on benchmark-synth8 for several
 * seeds one after the other, its resident memory read every 100 ms. Two comparisons, the last run
 * against the run half-way: the lowest reading of each run, which is what the runs before it left
 * behind, and the peaks, as means of three runs each (the last three against the three up to the
 * run half-way), because a single run's peak holds the Java heap at whatever size the collector
 * chose to grow it to inside that run (224 to 420 MB in runs of the same work, with at most 81 MB
 * alive), so single peaks spread by 150-250 MB.</li>
 * </ul>
 */
final class GrowthBench {
    /** {@code -Dfedklpr.bench.rounds=N} (FEDKLPR_JAVA_OPTS): how many rounds the demo runs. */
    static final String ROUNDS_PROPERTY = "fedklpr.bench.rounds";
    /** {@code -Dfedklpr.bench.runs=N} (FEDKLPR_JAVA_OPTS): how many runs the compare process makes. */
    static final String RUNS_PROPERTY = "fedklpr.bench.runs";
    private static final int DEFAULT_ROUNDS = 200;
    private static final int DEFAULT_RUNS = 12;
    /** Rounds before this one are warm-up: caches fill and the heap finds its size. */
    static final int FIRST_ROUND = 10;
    static final int WINDOW = 10;
    /** What memory may grow by from the first window to the last, or over the second half of the runs. */
    static final double ALLOWED_GROWTH_MB = 30;

    private static final Pattern ROUND_ROW = Pattern.compile("^\\s*(\\d+)\\s+\\S");
    private static final Pattern MEAN_ROW = Pattern.compile("^\\s+mean\\s");
    private static final Pattern RUN_START = Pattern.compile("^== run (\\d+) of \\d+:");

    private GrowthBench() {
    }

    static String run(Path home, BenchRatios ratios) {
        int rounds = count(ROUNDS_PROPERTY, DEFAULT_ROUNDS);
        int runs = count(RUNS_PROPERTY, DEFAULT_RUNS);
        if (rounds != 0 && rounds < FIRST_ROUND + 2 * WINDOW - 1) {
            return "-D" + ROUNDS_PROPERTY + "=" + System.getProperty(ROUNDS_PROPERTY) + ": expected a number of rounds "
                    + "of at least " + (FIRST_ROUND + 2 * WINDOW - 1) + " (two windows of " + WINDOW
                    + " rounds from round " + FIRST_ROUND + "), or 0 to leave the rounds out\n";
        }
        if (runs != 0 && runs < 2) {
            return "-D" + RUNS_PROPERTY + "=" + System.getProperty(RUNS_PROPERTY) + ": expected a number of runs of at"
                    + " least 2, or 0 to leave the runs out\n";
        }
        Path launcher = home.resolve("fedklpr");
        if (!Files.isExecutable(launcher)) {
            return "Growth: not run, " + launcher + " is not there to start the runs with.\n";
        }
        return (rounds == 0 ? "" : rounds(launcher, home, rounds, ratios) + "\n")
                + (runs == 0 ? "" : runs(launcher, home, runs, ratios));
    }

    private static String rounds(Path launcher, Path home, int rounds, BenchRatios ratios) {
        Path folder = temporaryFolder("fedklpr-bench-rounds");
        if (folder == null) {
            return "Rounds: not run, no temporary folder\n";
        }
        List<String> command = List.of(launcher.toString(), "run",
                home.resolve("features").resolve("demo.json").toString(), "--rounds", String.valueOf(rounds),
                "--out", folder.resolve("run").toString());
        long started = System.nanoTime();
        int lastFirst = rounds - WINDOW + 1;
        SortedMap<Integer, Double> readings;
        double first;
        double last;
        try {
            readings = residentAt(command, folder.resolve("run.log"), roundEnds());
            first = mean(readings, FIRST_ROUND, FIRST_ROUND + WINDOW - 1, "round");
            last = mean(readings, lastFirst, rounds, "round");
        } catch (IllegalStateException e) {
            return "Rounds: not finished: " + e.getMessage() + "\n"; // the folder stays, with the log
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        BenchChild.deleteQuietly(folder);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "The demo's resident memory over %d rounds "
                + "(one process, read as each round's mean line is printed; %.0f s):%n%n"
                + "| rounds | resident MB, mean | one reading, at the window's first round |%n|---|---|---|%n",
                rounds, seconds));
        table.append(String.format(Locale.ROOT, "| %d–%d | %.1f | %.1f |%n", FIRST_ROUND, FIRST_ROUND + WINDOW - 1,
                first, readings.get(FIRST_ROUND)));
        table.append(String.format(Locale.ROOT, "| %d–%d | %.1f | %.1f |%n", lastFirst, rounds, last,
                readings.get(lastFirst)));
        table.append(String.format(Locale.ROOT, "| growth | %+.1f | |%n", last - first));
        ratios.add(String.format(Locale.ROOT, "demo's resident MB, rounds %d–%d / rounds %d–%d (means)", lastFirst,
                rounds, FIRST_ROUND, FIRST_ROUND + WINDOW - 1), String.format(Locale.ROOT, "%.1f", last),
                String.format(Locale.ROOT, "%.1f", first), last / first, growthTarget(first));
        return table.toString();
    }

    private static String runs(Path launcher, Path home, int runs, BenchRatios ratios) {
        Path folder = temporaryFolder("fedklpr-bench-runs");
        if (folder == null) {
            return "Runs: not run, no temporary folder\n";
        }
        // One configuration, so that every run does the same work; the seeded initialisation instead
        // of the pretrained backbone, so that nothing is pretrained on a fresh machine.
        List<String> command = List.of(launcher.toString(), "compare",
                home.resolve("features").resolve("benchmark-synth8.json").toString(), "--only", "FedKLPR",
                "--seeds", String.valueOf(runs), "--rounds", "2", "--out", folder.resolve("compare").toString(),
                "--set", "org.fedklpr.coordinator:pretrainedWeights=");
        long started = System.nanoTime();
        SortedMap<Integer, Range> ranges;
        try {
            ranges = rangePerRun(command, folder.resolve("compare.log"));
            for (int run = 1; run <= runs; run++) {
                if (!ranges.containsKey(run)) {
                    throw new IllegalStateException("no memory reading for run " + run);
                }
            }
        } catch (IllegalStateException e) {
            return "Runs: not finished: " + e.getMessage() + "\n";
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        BenchChild.deleteQuietly(folder);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "One compare process running FedKLPR on "
                + "benchmark-synth8 %d times (seeds 1-%d, 2 rounds each, no pretrained backbone; %.0f s), its "
                + "resident memory read every 100 ms:%n%n| run | lowest resident MB | peak resident MB |%n"
                + "|---|---|---|%n", runs, runs, seconds));
        ranges.forEach((run, range) -> table.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |%n", run,
                range.lowest(), range.peak())));
        int half = runs / 2;
        double leftAtHalf = ranges.get(half).lowest();
        double leftAtEnd = ranges.get(runs).lowest();
        ratios.add(String.format(Locale.ROOT, "compare's lowest resident MB in run %d / in run %d", runs, half),
                String.format(Locale.ROOT, "%.1f", leftAtEnd), String.format(Locale.ROOT, "%.1f", leftAtHalf),
                leftAtEnd / leftAtHalf, growthTarget(leftAtHalf));
        int window = peakWindow(runs);
        double peakAtHalf = meanPeak(ranges, half - window + 1, half);
        double peakAtEnd = meanPeak(ranges, runs - window + 1, runs);
        ratios.add(String.format(Locale.ROOT, "compare's peak resident MB, %s / %s (means)",
                runSpan(runs - window + 1, runs), runSpan(half - window + 1, half)),
                String.format(Locale.ROOT, "%.1f", peakAtEnd), String.format(Locale.ROOT, "%.1f", peakAtHalf),
                peakAtEnd / peakAtHalf, growthTarget(peakAtHalf));
        return table.toString();
    }

    /** How many runs each mean of peaks takes: three, or fewer when there are not six runs. */
    static int peakWindow(int runs) {
        return Math.max(1, Math.min(3, runs / 2));
    }

    /** The mean of the peaks of runs {@code from} to {@code to}. */
    static double meanPeak(SortedMap<Integer, Range> ranges, int from, int to) {
        SortedMap<Integer, Double> peaks = new TreeMap<>();
        ranges.forEach((run, range) -> peaks.put(run, range.peak()));
        return mean(peaks, from, to, "run");
    }

    private static String runSpan(int from, int to) {
        return from == to ? "run " + to : "runs " + from + "–" + to;
    }

    private static String growthTarget(double reference) {
        return String.format(Locale.ROOT, "at most %.3f (%.0f MB of growth)", (reference + ALLOWED_GROWTH_MB)
                / reference, ALLOWED_GROWTH_MB);
    }

    /** At a round's "mean" line: the round of the client rows above it. */
    static Function<String, Integer> roundEnds() {
        Integer[] round = {null};
        return line -> {
            Matcher row = ROUND_ROW.matcher(line);
            if (row.find()) {
                round[0] = Integer.valueOf(row.group(1));
                return null;
            }
            return MEAN_ROW.matcher(line).find() ? round[0] : null;
        };
    }

    /** At "== run K of N:", K: the run that starts there. */
    static Integer runStart(String line) {
        Matcher start = RUN_START.matcher(line);
        return start.find() ? Integer.valueOf(start.group(1)) : null;
    }

    /**
     * Runs a command to its end and reads its resident memory (VmRSS, MB of 2^20 bytes) whenever
     * {@code keyOf} gives a line of its output a key.
     *
     * @throws IllegalStateException when the command fails, naming its log
     */
    static SortedMap<Integer, Double> residentAt(List<String> command, Path log, Function<String, Integer> keyOf) {
        SortedMap<Integer, Double> readings = new ConcurrentSkipListMap<>();
        BenchChild.run(command, log, (status, line) -> {
            Integer key = keyOf.apply(line);
            long kilobytes = key == null ? 0 : ProcStatus.kilobytes(status, ProcStatus.RESIDENT);
            if (kilobytes > 0) {
                readings.put(key, kilobytes / 1024.0);
            }
        }, status -> {
        });
        return nonEmpty(readings, log);
    }

    /** The least and the most resident memory (MB) read during one run. */
    record Range(double lowest, double peak) {
        Range with(double megabytes) {
            return new Range(Math.min(lowest, megabytes), Math.max(peak, megabytes));
        }
    }

    /**
     * Runs a command to its end and reads its resident memory every 100 ms, keeping the least and
     * the most it held during each run ("== run K of N:" to the next such line, or to the end).
     *
     * @throws IllegalStateException when the command fails, naming its log
     */
    static SortedMap<Integer, Range> rangePerRun(List<String> command, Path log) {
        SortedMap<Integer, Range> ranges = new ConcurrentSkipListMap<>();
        AtomicInteger current = new AtomicInteger();
        BenchChild.run(command, log, (status, line) -> {
            Integer run = runStart(line);
            if (run != null) {
                current.set(run);
            }
        }, status -> {
            int run = current.get();
            long kilobytes = run == 0 ? 0 : ProcStatus.kilobytes(status, ProcStatus.RESIDENT);
            if (kilobytes > 0) {
                double megabytes = kilobytes / 1024.0;
                ranges.merge(run, new Range(megabytes, megabytes), (old, now) -> old.with(megabytes));
            }
        });
        return nonEmpty(ranges, log);
    }

    private static <T> SortedMap<Integer, T> nonEmpty(SortedMap<Integer, T> readings, Path log) {
        if (readings.isEmpty()) {
            throw new IllegalStateException("no memory reading could be taken (Linux only; output: " + log + ")");
        }
        return readings;
    }

    /** The mean of the readings from key {@code from} to {@code to}; a missing one is named ("round 25"). */
    static double mean(SortedMap<Integer, Double> readings, int from, int to, String what) {
        double sum = 0;
        for (int key = from; key <= to; key++) {
            Double reading = readings.get(key);
            if (reading == null) {
                throw new IllegalStateException("no memory reading for " + what + " " + key);
            }
            sum += reading;
        }
        return sum / (to - from + 1);
    }

    /** The property's number, the fallback when it is not set, -1 when it is not a number. */
    private static int count(String property, int fallback) {
        try {
            return Integer.parseInt(System.getProperty(property, String.valueOf(fallback)));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path temporaryFolder(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            return null;
        }
    }
}
