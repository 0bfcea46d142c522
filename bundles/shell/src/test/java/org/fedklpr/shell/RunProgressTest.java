package org.fedklpr.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalTime;

import org.junit.jupiter.api.Test;

class RunProgressTest {
    @Test
    void aSitesLineSaysImagesRateAndTimeLeft() {
        RunProgress progress = new RunProgress();
        progress.roundStarted(10);
        assertEquals("round 3/10  market  1,200/4,800 images  40.0 img/s  1 min 30 s left",
                progress.training("market", 3, 1200, 4800, 30));
        assertEquals("round 3/10  market  0/4,800 images  0.0 img/s", progress.training("market", 3, 0, 4800, 0));
    }

    @Test
    void afterEachRoundTheEndIsEstimatedFromTheMeanRound() {
        RunProgress progress = new RunProgress();
        progress.roundStarted(4);
        LocalTime noon = LocalTime.NOON;
        assertEquals("", progress.roundDone(0, 5, noon), "round 0 only scores");
        assertEquals("round 1 of 4 done in 1 min 40 s; 3 left, about 5 min 00 s (ends about 12:05)",
                progress.roundDone(1, 100, noon));
        // Mean of 100 and 200 s: 150 s for each of the two left.
        assertEquals("round 2 of 4 done in 3 min 20 s; 2 left, about 5 min 00 s (ends about 12:05)",
                progress.roundDone(2, 200, noon));
        progress.roundDone(3, 150, noon);
        assertEquals("round 4 of 4 done in 2 min 30 s; that was the last", progress.roundDone(4, 150, noon));
    }

    @Test
    void aComparisonSaysRunsDoneAndToGo() {
        assertEquals("3 runs done in 6 min 00 s; 9 to go, about 18 min 00 s (ends about 12:18)",
                RunProgress.remaining(3, 12, 360, "runs", LocalTime.NOON));
        assertEquals("2 h 05 min", RunProgress.duration(7500));
    }
}
