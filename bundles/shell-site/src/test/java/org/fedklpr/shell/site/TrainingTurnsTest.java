package org.fedklpr.shell.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

class TrainingTurnsTest {

    @Test
    void theRatioIsTheMedianOfThePairsNotOfTheTotals() {
        TrainingTurns turns = new TrainingTurns(32);
        // engine: 3 steps of 32 images in 8, 8, 16 (a burst of load), 8 s; reference: always 9.6 s
        for (double seconds : new double[] {8, 8, 16, 8}) {
            turns.engine(3, seconds, 0.1 * seconds);
            turns.reference(3, 9.6);
        }
        assertArrayEquals(new double[] {0.6, 1.2, 1.2, 1.2}, turns.pairRatios(), 1e-12);
        assertEquals(1.2, turns.medianRatio(), 1e-12);
        assertEquals("pairs 0.60–1.20", turns.ratioSpread());
        // the totals carry the burst: 384 images in 40 s against 38.4 s
        assertEquals(384 / 40.0, turns.engineImagesPerSecond(), 1e-12);
        assertEquals(10.0, turns.referenceImagesPerSecond(), 1e-12);
        assertEquals(0.1, turns.engineWaitFraction(), 1e-12);
    }

    /** A local training's first step pays its set-up: only the steps after it are timed, the rest is set-up. */
    @Test
    void theEngineIsTimedOverTheStepsAfterItsFirst() {
        TrainingTurns turns = new TrainingTurns(32);
        // steps of 2 s after a first step of 2.5 s; the call ends 0.1 s after its last step
        turns.engineTraining(new double[] {2.5, 4.5, 6.5, 8.5}, 8.6, 0.86);
        turns.engineTraining(new double[] {2.9, 4.9, 6.9, 8.9}, 9.0, 0);
        turns.engineTraining(new double[] {2.3, 4.3, 6.3, 8.3}, 8.3, 0);
        turns.reference(3, 6);
        turns.reference(3, 6);
        turns.reference(3, 6);
        assertArrayEquals(new double[] {1, 1, 1}, turns.pairRatios(), 1e-12);
        assertEquals(32 / 2.0, turns.engineImagesPerSecond(), 1e-12);
        assertEquals(0.6, turns.medianSetUpSeconds(), 1e-12);
        assertEquals(0.86 / (8.6 + 9.0 + 8.3), turns.engineWaitFraction(), 1e-12);
        assertEquals(Double.NaN, new TrainingTurns(32).medianSetUpSeconds());
        IllegalStateException oneStep = assertThrows(IllegalStateException.class,
                () -> turns.engineTraining(new double[] {2.0}, 2.1, 0));
        assertEquals("a timed local training needs at least two steps, it took 1", oneStep.getMessage());
    }

    @Test
    void onlyTurnsTimedOnBothSidesArePaired() {
        TrainingTurns turns = new TrainingTurns(32);
        turns.engine(3, 8, 0);
        turns.engine(3, 4, 0);
        turns.reference(3, 8);
        assertArrayEquals(new double[] {1}, turns.pairRatios(), 1e-12);
        assertEquals((0.5 + 1) / 2, medianOf(2, 1, 2), 1e-12);
        assertEquals(Double.NaN, new TrainingTurns(32).medianRatio());
        assertEquals("no pairs", new TrainingTurns(32).ratioSpread());
    }

    private static double medianOf(double referenceSecondsA, double referenceSecondsB, double engineSeconds) {
        TrainingTurns turns = new TrainingTurns(1);
        turns.engine(1, engineSeconds, 0);
        turns.engine(1, engineSeconds, 0);
        turns.reference(1, referenceSecondsA);
        turns.reference(1, referenceSecondsB);
        return turns.medianRatio();
    }

    /** The reference's protocol, spoken by a stand-in script: ready, one answer per request, the peak at the end. */
    @Test
    @EnabledIf("pythonIsThere")
    void theReferenceIsAskedForStepsAndEndsWithItsPeak(@TempDir Path home) throws IOException {
        script(home, """
                import json, sys
                print("a warning on the way", flush=True)
                print(json.dumps({"ready": True, "framework": "Stand-in 1.0", "forward_multiply_adds": 42}), flush=True)
                for line in sys.stdin:
                    print(json.dumps({"steps": int(line), "seconds": 0.5 * int(line)}), flush=True)
                print(json.dumps({"peak_rss_bytes": 3 * 2 ** 30}), flush=True)
                """);
        try (PyTorchReference reference = PyTorchReference.start(home, "resnet18", 256, 128, 32, 751, 2)) {
            assertEquals("Stand-in 1.0", reference.framework());
            assertEquals(42, reference.multiplyAdds());
            assertEquals(1.5, reference.secondsFor(3));
            TrainingTurns turns = new TrainingTurns(32);
            assertEquals(null, turns.timeReference(reference, 4));
            assertEquals(32 * 4 / 2.0, turns.referenceImagesPerSecond(), 1e-12);
            assertEquals(3.0, reference.finish(), 1e-12);
        }
    }

    @Test
    @EnabledIf("pythonIsThere")
    void aReferenceThatFailsIsReportedWithItsLastLine(@TempDir Path home) throws IOException {
        script(home, """
                import sys
                print("ModuleNotFoundError: No module named 'torch'")
                sys.exit(1)
                """);
        IOException failed = assertThrows(IOException.class,
                () -> PyTorchReference.start(home, "resnet18", 256, 128, 32, 751, 2));
        assertTrue(failed.getMessage().contains("No module named 'torch'")
                && failed.getMessage().contains("python3-torch"), failed.getMessage());
    }

    /** A reference that stops answering is ended and reported, instead of hanging the bench. */
    @Test
    @EnabledIf("pythonIsThere")
    void aReferenceThatHangsIsEndedAfterThePatience(@TempDir Path home) throws IOException {
        script(home, """
                import json, sys, time
                print(json.dumps({"ready": True, "framework": "Stand-in 1.0", "forward_multiply_adds": 42}), flush=True)
                for line in sys.stdin:
                    time.sleep(600)
                """);
        try (PyTorchReference reference = PyTorchReference.start(home, "resnet18", 256, 128, 32, 751, 2,
                Duration.ofMillis(1500))) {
            long started = System.nanoTime();
            IOException ended = assertThrows(IOException.class, () -> reference.secondsFor(3));
            assertTrue(ended.getMessage().contains("no answer within 1 s"), ended.getMessage());
            assertTrue(System.nanoTime() - started < 60e9, "ended after the patience, not after the script's sleep");
        }
    }

    static boolean pythonIsThere() {
        return Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    private static void script(Path home, String text) throws IOException {
        Path script = home.resolve("runtime/reference/pytorch_resnet_bench.py");
        Files.createDirectories(script.getParent());
        Files.writeString(script, text);
    }
}
