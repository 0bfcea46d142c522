package org.fedklpr.shell.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class RoundsBenchTest {

    /** A child printing the run's table: memory is read at each round's mean line, not at the client rows. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void memoryIsReadWhenEachRoundsMeanLineAppears(@TempDir Path folder) throws Exception {
        String table = """
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
        Path printed = folder.resolve("table.txt");
        Files.writeString(printed, table);
        // Each line followed by a pause, so that the process is still there when its line is read.
        SortedMap<Integer, Double> readings = RoundsBench.residentByRound(List.of("sh", "-c",
                "while IFS= read -r line; do printf '%s\\n' \"$line\"; sleep 0.05; done < " + printed),
                folder.resolve("run.log"));
        assertEquals(List.of(1, 2, 3), List.copyOf(readings.keySet()));
        assertTrue(readings.values().stream().allMatch(mb -> mb > 0.1 && mb < 100), readings.toString());
        assertEquals(table, Files.readString(folder.resolve("run.log")), "the log holds the child's output");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFailedRunIsReportedWithItsLogAndLastLine(@TempDir Path folder) {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> RoundsBench.residentByRound(
                List.of("sh", "-c", "echo 'fedklpr run: no such feature'; exit 2"), folder.resolve("run.log")));
        assertTrue(failed.getMessage().contains("ended with status 2") && failed.getMessage().contains("run.log")
                && failed.getMessage().contains("no such feature"), failed.getMessage());
    }

    @Test
    void windowsAreMeansAndAMissingRoundIsNamed() {
        SortedMap<Integer, Double> readings = new TreeMap<>();
        for (int round = 1; round <= 30; round++) {
            readings.put(round, round % 2 == 0 ? 900.0 : 1000.0); // readings that alternate, as a real run's do
        }
        assertEquals(950, RoundsBench.mean(readings, 10, 19), 1e-9);
        readings.remove(25);
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> RoundsBench.mean(readings, 21, 30));
        assertTrue(missing.getMessage().contains("round 25"), missing.getMessage());
    }
}
