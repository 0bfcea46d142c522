package org.fedklpr.shell.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class SimulationBenchTest {

    /** The peak of a process that touches 64 MB at once is read while it runs. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void thePeakOfAChildProcessIsReadWhileItRuns(@TempDir Path folder) {
        // dd reads 2.5 GB of zeros through one 64 MB buffer: a second or so with 64 MB resident
        SimulationBench.Measured measured = SimulationBench.measure(List.of("dd", "if=/dev/zero", "of=/dev/null",
                "bs=64M", "count=40"), folder.resolve("dd.log"));
        assertTrue(measured.peakGigabytes() > 60 / 1024.0 && measured.peakGigabytes() < 1,
                "peak " + measured.peakGigabytes() + " GB");
        assertTrue(Files.exists(measured.log()));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFailedRunIsReportedWithItsLog(@TempDir Path folder) {
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> SimulationBench.measure(
                List.of("sh", "-c", "echo no such feature; sleep 0.3; exit 3"), folder.resolve("run.log")));
        assertTrue(failed.getMessage().contains("ended with status 3") && failed.getMessage().contains("run.log")
                && failed.getMessage().contains("no such feature"), failed.getMessage());
    }

    @Test
    void theFederationsDifferOnlyInTheirClientsAndFolders() {
        Path home = Path.of("/opt/fedklpr");
        Path folder = Path.of("/tmp/b");
        List<String> one = SimulationBench.command(home.resolve("fedklpr"), home, "resnet50", 1, folder);
        List<String> eight = SimulationBench.command(home.resolve("fedklpr"), home, "resnet50", 8, folder);
        assertEquals(List.of("/opt/fedklpr/fedklpr", "run", "/opt/fedklpr/features/demo.json", "--rounds", "2",
                "--out", "/tmp/b/run-1"), one.subList(0, 7));
        assertTrue(one.contains("org.fedklpr.data.synthetic:clients=1") && eight.contains(
                "org.fedklpr.data.synthetic:clients=8") && eight.contains("org.fedklpr.coordinator:inputHeight=256"));
        assertEquals(one.size(), eight.size());
        long differing = java.util.stream.IntStream.range(0, one.size()).filter(i -> !one.get(i).equals(eight.get(i)))
                .count();
        assertEquals(3, differing, "the run folder, the data folder and the number of clients: " + eight);
        assertTrue(SimulationBench.command(home, home, "tiny-cnn", 2, folder).stream()
                .noneMatch(s -> s.contains("inputHeight")), "the tiny CNN keeps the demo's input size");
    }
}
