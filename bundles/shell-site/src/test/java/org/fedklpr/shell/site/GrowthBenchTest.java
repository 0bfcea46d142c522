package org.fedklpr.shell.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class GrowthBenchTest {
    private static final String RUN_TABLE = """
            round  client   Rank-1
                1  client-1   9.2%
                1  client-2  20.5%
                   mean      15.8%
                   round 1 of 3 done in 7 s
                2  client-1  17.1%
                   mean      15.4%
                3  client-1  18.0%
                   mean      16.0%
            Finished 3 rounds
            """;

    /** A child printing a run's table: memory is read at each round's mean line, not at the client rows. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void memoryIsReadWhenEachRoundsMeanLineAppears(@TempDir Path folder) throws Exception {
        Path printed = folder.resolve("table.txt");
        Files.writeString(printed, RUN_TABLE);
        // Each line followed by a pause, so that the process is still there when its line is read.
        SortedMap<Integer, Double> readings = GrowthBench.residentAt(List.of("sh", "-c",
                "while IFS= read -r line; do printf '%s\\n' \"$line\"; sleep 0.05; done < " + printed),
                folder.resolve("run.log"), GrowthBench.roundEnds());
        assertEquals(List.of(1, 2, 3), List.copyOf(readings.keySet()));
        assertTrue(readings.values().stream().allMatch(mb -> mb > 0.1 && mb < 100), readings.toString());
        assertEquals(RUN_TABLE, Files.readString(folder.resolve("run.log")), "the log holds the child's output");
    }

    @Test
    void roundsEndAtTheirMeanLinesAndRunsStartAtTheirHeadings() {
        List<String> output = List.of("FedKLPR: benchmark-synth8, 40 bundles started in 1.14 s", "",
                "== run 1 of 3: FedKLPR (seed 1): KLL", "round  client  rank1", "       mean            2.7%",
                "    1  client-1  9.2%", "       mean           12.8%", "",
                "== run 2 of 3: FedKLPR (seed 2): KLL", "       round 1 of 1 done in 12 s",
                "    1  client-1  8.0%", "       mean            6.9%", "# Comparison");
        Function<String, Integer> roundEnds = GrowthBench.roundEnds();
        List<String> keyed = new ArrayList<>();
        for (String line : output) {
            Integer round = roundEnds.apply(line);
            Integer run = GrowthBench.runStart(line);
            if (round != null) {
                keyed.add("round " + round + " ended");
            }
            if (run != null) {
                keyed.add("run " + run + " started");
            }
        }
        // the initial evaluation (round 0) has no client rows above its mean line, and is not read
        assertEquals(List.of("run 1 started", "round 1 ended", "run 2 started", "round 1 ended"), keyed);
    }

    /** A child that holds 64 MB more in its second run: each run's peak is its own. */
    @Test
    @EnabledIf("pythonIsThere")
    void eachRunsPeakIsItsOwn(@TempDir Path folder) {
        SortedMap<Integer, GrowthBench.Range> ranges = GrowthBench.rangePerRun(List.of("/usr/bin/python3", "-c", """
                import time
                print("== run 1 of 2: small", flush=True)
                time.sleep(0.6)
                print("== run 2 of 2: large", flush=True)
                time.sleep(0.5)
                held = bytearray(64 << 20)
                time.sleep(0.6)
                """), folder.resolve("compare.log"));
        assertEquals(List.of(1, 2), List.copyOf(ranges.keySet()));
        assertTrue(ranges.get(2).peak() - ranges.get(1).peak() > 60, ranges.toString());
        assertTrue(ranges.get(2).lowest() < ranges.get(2).peak() - 60, "the run began before the 64 MB: " + ranges);
    }

    /** Means of three peaks where there are six runs or more, fewer where there are not. */
    @Test
    void peaksAreAveragedOverWindowsThatFitTheRuns() {
        assertEquals(3, GrowthBench.peakWindow(12));
        assertEquals(3, GrowthBench.peakWindow(6));
        assertEquals(2, GrowthBench.peakWindow(4));
        assertEquals(1, GrowthBench.peakWindow(2));
        SortedMap<Integer, GrowthBench.Range> ranges = new TreeMap<>();
        double[] peaks = {900, 800, 1000, 870, 950, 830};
        for (int run = 1; run <= peaks.length; run++) {
            ranges.put(run, new GrowthBench.Range(300, peaks[run - 1]));
        }
        assertEquals(900, GrowthBench.meanPeak(ranges, 1, 3), 1e-9);
        assertEquals(883.3333333, GrowthBench.meanPeak(ranges, 4, 6), 1e-6);
        assertEquals(830, GrowthBench.meanPeak(ranges, 6, 6), 1e-9);
    }

    static boolean pythonIsThere() {
        return Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFailedRunIsReportedWithItsLogAndLastLine(@TempDir Path folder) {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> GrowthBench.residentAt(
                List.of("sh", "-c", "echo 'fedklpr run: no such feature'; exit 2"), folder.resolve("run.log"),
                GrowthBench.roundEnds()));
        assertTrue(failed.getMessage().contains("ended with status 2") && failed.getMessage().contains("run.log")
                && failed.getMessage().contains("no such feature"), failed.getMessage());
    }

    @Test
    void windowsAreMeansAndAMissingReadingIsNamed() {
        SortedMap<Integer, Double> readings = new TreeMap<>();
        for (int round = 1; round <= 30; round++) {
            readings.put(round, round % 2 == 0 ? 900.0 : 1000.0); // readings that alternate, as a real run's have
        }
        assertEquals(950, GrowthBench.mean(readings, 10, 19, "round"), 1e-9);
        readings.remove(25);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> GrowthBench.mean(readings, 21, 30, "round"));
        assertTrue(missing.getMessage().contains("round 25"), missing.getMessage());
    }
}
