package org.fedklpr.shell.site;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a long run's memory stays flat: the demo ({@code features/demo.json}) run for many rounds
 * as its own {@code fedklpr run} process, its resident memory read at the end of every round (when
 * the round's "mean" line is printed), and the first ten rounds from round 10 on compared with the
 * last ten. Ten-round means, because one reading depends on where in its allocation cycle the
 * process stands when the line appears: single readings of the same run spread by about 120 MB.
 */
final class RoundsBench {
    /** {@code -Dfedklpr.bench.rounds=N} (FEDKLPR_JAVA_OPTS): how many rounds the demo runs. */
    static final String PROPERTY = "fedklpr.bench.rounds";
    private static final int DEFAULT_ROUNDS = 200;
    /** Rounds before this one are warm-up: caches fill and the heap finds its size. */
    static final int FIRST_ROUND = 10;
    static final int WINDOW = 10;
    /** What the memory may grow by from the first window to the last. */
    static final double ALLOWED_GROWTH_MB = 30;

    private static final Pattern ROUND_ROW = Pattern.compile("^\\s*(\\d+)\\s+\\S");
    private static final Pattern MEAN_ROW = Pattern.compile("^\\s+mean\\s");

    private RoundsBench() {
    }

    static String run(Path home, BenchRatios ratios) {
        int rounds;
        try {
            rounds = Integer.parseInt(System.getProperty(PROPERTY, String.valueOf(DEFAULT_ROUNDS)));
        } catch (NumberFormatException e) {
            rounds = -1;
        }
        if (rounds < FIRST_ROUND + 2 * WINDOW - 1) {
            return "-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + ": expected a number of rounds of at least "
                    + (FIRST_ROUND + 2 * WINDOW - 1) + " (two windows of " + WINDOW + " rounds from round "
                    + FIRST_ROUND + ")\n";
        }
        Path launcher = home.resolve("fedklpr");
        if (!Files.isExecutable(launcher)) {
            return "Rounds: not run, " + launcher + " is not there to start the demo with.\n";
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("fedklpr-bench-rounds");
        } catch (IOException e) {
            return "Rounds: not run, no temporary folder: " + e.getMessage() + "\n";
        }
        List<String> command = List.of(launcher.toString(), "run",
                home.resolve("features").resolve("demo.json").toString(), "--rounds", String.valueOf(rounds),
                "--out", folder.resolve("run").toString());
        long started = System.nanoTime();
        SortedMap<Integer, Double> readings;
        int lastFirst = rounds - WINDOW + 1;
        double first;
        double last;
        try {
            readings = residentByRound(command, folder.resolve("run.log"));
            first = mean(readings, FIRST_ROUND, FIRST_ROUND + WINDOW - 1);
            last = mean(readings, lastFirst, rounds);
        } catch (IllegalStateException e) {
            return "Rounds: not finished: " + e.getMessage() + "\n"; // the folder stays, with the log
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        SimulationBench.deleteQuietly(folder);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "The demo's resident memory over %d rounds "
                + "(read as each round's mean line is printed; %.0f s):%n%n"
                + "| rounds | resident MB, mean | one reading at the window's first round |%n|---|---|---|%n",
                rounds, seconds));
        table.append(String.format(Locale.ROOT, "| %d–%d | %.1f | %.1f |%n", FIRST_ROUND, FIRST_ROUND + WINDOW - 1,
                first, readings.get(FIRST_ROUND)));
        table.append(String.format(Locale.ROOT, "| %d–%d | %.1f | %.1f |%n", lastFirst, rounds, last,
                readings.get(lastFirst)));
        table.append(String.format(Locale.ROOT, "| growth | %+.1f | |%n", last - first));
        ratios.add(String.format(Locale.ROOT, "demo's resident MB, rounds %d–%d / rounds %d–%d (means)", lastFirst,
                rounds, FIRST_ROUND, FIRST_ROUND + WINDOW - 1), String.format(Locale.ROOT, "%.1f", last),
                String.format(Locale.ROOT, "%.1f", first), last / first, String.format(Locale.ROOT,
                        "at most %.3f (%.0f MB of growth)", (first + ALLOWED_GROWTH_MB) / first, ALLOWED_GROWTH_MB));
        return table.toString();
    }

    /**
     * Runs a command to its end and reads its resident memory (VmRSS, MB of 2^20 bytes) whenever it
     * prints a round's "mean" line; its output also goes to {@code log}. The launcher replaces itself
     * with the JVM, so the process started is the one read.
     *
     * @throws IllegalStateException when the command fails, naming its log
     */
    static SortedMap<Integer, Double> residentByRound(List<String> command, Path log) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        SortedMap<Integer, Double> readings = new TreeMap<>();
        String lastLine = "";
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); BufferedWriter copy = Files.newBufferedWriter(log)) {
            Integer round = null;
            String line;
            while ((line = output.readLine()) != null) {
                copy.write(line);
                copy.newLine();
                lastLine = line.isBlank() ? lastLine : line;
                Matcher row = ROUND_ROW.matcher(line);
                if (row.find()) {
                    round = Integer.valueOf(row.group(1));
                } else if (round != null && MEAN_ROW.matcher(line).find()) {
                    long kilobytes = ProcStatus.kilobytes(status, ProcStatus.RESIDENT);
                    if (kilobytes > 0) {
                        readings.put(round, kilobytes / 1024.0);
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                        + " ... ended with status " + exit + "; its output: " + log + " (last line: " + lastLine + ")");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("reading " + command.get(0) + "'s output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (readings.isEmpty()) {
            throw new IllegalStateException("no round's memory could be read (Linux only; output: " + log + ")");
        }
        return readings;
    }

    /** The mean of the readings of rounds {@code from} to {@code to}; a round without a reading is named. */
    static double mean(SortedMap<Integer, Double> readings, int from, int to) {
        double sum = 0;
        for (int round = from; round <= to; round++) {
            Double reading = readings.get(round);
            if (reading == null) {
                throw new IllegalStateException("no memory reading for round " + round);
            }
            sum += reading;
        }
        return sum / (to - from + 1);
    }
}
