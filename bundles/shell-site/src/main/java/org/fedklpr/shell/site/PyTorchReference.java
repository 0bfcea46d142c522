package org.fedklpr.shell.site;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The PyTorch CPU reference of {@code bench training}: runtime/reference/pytorch_resnet_bench.py
 * started once per network in its {@code serve} mode, which builds and warms the network up and then
 * times as many steps as it is asked for, whenever asked. Timing the two frameworks in turns from
 * one bench lets a change in the machine's load fall on both instead of on whichever ran second.
 */
final class PyTorchReference implements AutoCloseable {
    /** A line of the script's output that is not one of its JSON answers (a warning) is skipped. */
    private static final int LAST_LINES_KEPT = 5;
    /** The longest wait for one answer (building ResNet-50 and a few steps take about a minute here). */
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private final Process process;
    private final BufferedReader answers;
    private final Writer requests;
    private final String command;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final String framework;
    private final long multiplyAdds;
    private final Duration patience;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-pytorch-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private PyTorchReference(Process process, String command, Duration patience) throws IOException {
        this.process = process;
        this.command = command;
        this.patience = patience;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        JsonObject ready;
        try {
            ready = answer();
        } catch (IOException | RuntimeException e) {
            watchdog.shutdownNow();
            throw e;
        }
        this.framework = ready.get("framework").getAsString();
        this.multiplyAdds = ready.get("forward_multiply_adds").getAsLong();
    }

    /**
     * Starts the reference for one network and waits until it has built it and taken its warm-up step.
     *
     * @throws IOException naming the command and its last output line when it cannot start or fails
     */
    static PyTorchReference start(Path home, String architecture, int height, int width, int batch, int identities,
            int threads) throws IOException {
        return start(home, architecture, height, width, batch, identities, threads, PATIENCE);
    }

    /** As {@link #start(Path, String, int, int, int, int, int)}, ending the script when an answer takes longer than {@code patience}. */
    static PyTorchReference start(Path home, String architecture, int height, int width, int batch, int identities,
            int threads, Duration patience) throws IOException {
        Path script = home.resolve("runtime/reference/pytorch_resnet_bench.py");
        String python = System.getenv().getOrDefault("FEDKLPR_PYTHON",
                Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        List<String> command = List.of(python, script.toString(), architecture, String.valueOf(height),
                String.valueOf(width), String.valueOf(batch), String.valueOf(identities), "serve",
                String.valueOf(threads));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot start " + python + ": " + e.getMessage(), e);
        }
        try {
            return new PyTorchReference(process, python, patience);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    String framework() {
        return framework;
    }

    long multiplyAdds() {
        return multiplyAdds;
    }

    /** Seconds that {@code steps} training steps took, timed by the script itself. */
    double secondsFor(int steps) throws IOException {
        requests.write(steps + "\n");
        requests.flush();
        return answer().get("seconds").getAsDouble();
    }

    /** Ends the script and returns its peak resident memory in GB of 2^30 bytes (its own VmHWM). */
    double finish() throws IOException {
        requests.close();
        double peak = answer().get("peak_rss_bytes").getAsDouble() / (1L << 30);
        try {
            process.waitFor(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return peak;
    }

    /**
     * The next JSON line the script prints; other lines are kept to explain a failure. A script that
     * does not answer within the patience is ended, so that a hung reference fails the section
     * instead of hanging the bench.
     */
    private JsonObject answer() throws IOException {
        ScheduledFuture<?> deadline = watchdog.schedule(process::destroyForcibly, patience.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return nextAnswer();
        } catch (IOException e) {
            throw deadline.isDone() ? new IOException(command + " gave no answer within " + patience.toSeconds()
                    + " s and was ended", e) : e;
        } finally {
            deadline.cancel(false);
        }
    }

    private JsonObject nextAnswer() throws IOException {
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith("{")) {
                try {
                    return JsonParser.parseString(line).getAsJsonObject();
                } catch (JsonParseException | IllegalStateException e) {
                    // not one of its answers
                }
            }
            if (lastLines.size() == LAST_LINES_KEPT) {
                lastLines.removeFirst();
            }
            lastLines.addLast(line);
        }
        throw new IOException(command + " failed: " + (lastLines.isEmpty() ? "no output" : lastLines.getLast())
                + "; Debian: apt-get install python3-torch");
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        process.destroyForcibly();
    }
}
