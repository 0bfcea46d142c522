package org.fedklpr.shell;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What the console says about how far an experiment is: during a round, a status line per site
 * (images done, images per second, time left of its training), rewritten in place on a terminal;
 * after each round, one line with the round's time and an estimate of when the run ends, from the
 * mean time of the rounds this process has run. Plain Java: the clock is given.
 */
final class RunProgress {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private int rounds;
    private int roundsTimed;
    private double secondsTimed;

    void roundStarted(int totalRounds) {
        this.rounds = totalRounds;
    }

    /** The status line of a site's training. */
    String training(String site, int round, long images, long total, double seconds) {
        double rate = seconds > 0 ? images / seconds : 0;
        String left = rate > 0 && total >= images ? duration((total - images) / rate) + " left" : "";
        return String.format(Locale.ROOT, "round %d%s  %s  %,d/%,d images  %.1f img/s  %s", round,
                rounds > 0 ? "/" + rounds : "", site, images, total, rate, left).stripTrailing();
    }

    /**
     * The line after round {@code round}, which took {@code seconds}; empty after round 0.
     *
     * @param now the wall clock, for the time the run should end
     */
    String roundDone(int round, double seconds, LocalTime now) {
        if (round == 0) {
            return "";
        }
        roundsTimed++;
        secondsTimed += seconds;
        int left = Math.max(0, rounds - round);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d%s done in %s", round,
                rounds > 0 ? " of " + rounds : "", duration(seconds)));
        if (rounds > 0 && left == 0) {
            return line.append("; that was the last").toString();
        }
        if (rounds > 0) {
            line.append("; ").append(left(left, left * secondsTimed / roundsTimed, now));
        }
        return line.toString();
    }

    /** "3 runs done in 4 min 10 s; 9 to go, about 12 min 30 s (ends about 16:42)". */
    static String remaining(int done, int total, double elapsedSeconds, String what, LocalTime now) {
        return done + " " + what + " done in " + duration(elapsedSeconds) + "; " + left(total - done,
                elapsedSeconds / done * (total - done), now).replaceFirst(" left", " to go");
    }

    private static String left(int count, double seconds, LocalTime now) {
        return String.format(Locale.ROOT, "%d left, about %s (ends about %s)", count, duration(seconds),
                now.plusSeconds(Math.round(seconds)).format(CLOCK));
    }

    /** 8 s, 2 min 05 s, 1 h 03 min. */
    static String duration(double seconds) {
        Duration time = Duration.ofSeconds(Math.round(Math.max(0, seconds)));
        if (time.toHours() > 0) {
            return String.format(Locale.ROOT, "%d h %02d min", time.toHours(), time.toMinutesPart());
        }
        if (time.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%d min %02d s", time.toMinutes(), time.toSecondsPart());
        }
        return time.toSeconds() + " s";
    }
}
