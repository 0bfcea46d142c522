package org.fedklpr.shell.site;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A {@code fedklpr} process that a bench section starts and watches from the outside (its output
 * and its /proc figures while it runs), as {@code bench simulation} and {@code bench growth} do.
 */
final class BenchChild {
    private static final long POLL_MILLIS = 100;

    private BenchChild() {
    }

    /**
     * Runs a command to its end: each line of its output is copied to {@code log} and handed to
     * {@code onLine}, and {@code every100Ms} is called while it runs, both with the process's
     * {@code /proc/PID/status}. The launcher replaces itself with the JVM, so the process started is
     * the one read.
     *
     * @throws IllegalStateException when the command cannot start or fails, naming its log and its
     *         last line
     */
    static void run(List<String> command, Path log, BiConsumer<Path, String> onLine,
            Consumer<Path> every100Ms) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        AtomicReference<String> lastLine = new AtomicReference<>("");
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); BufferedWriter copy = Files.newBufferedWriter(log)) {
                String line;
                while ((line = output.readLine()) != null) {
                    copy.write(line);
                    copy.newLine();
                    if (!line.isBlank()) {
                        lastLine.set(line);
                    }
                    onLine.accept(status, line);
                }
            } catch (IOException e) {
                failure.set(e);
            }
        }, "bench-child-output");
        reader.start();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                every100Ms.accept(status);
            }
            reader.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("reading " + command.get(0) + "'s output: " + failure.get().getMessage(),
                    failure.get());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + " ... ended with status " + process.exitValue() + "; its output: " + log + " (last line: "
                    + lastLine.get() + ")");
        }
    }

    /** Deletes a bench's temporary folder (run checkpoints can take hundreds of MB). */
    static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: the system cleans what is left
        }
    }
}
