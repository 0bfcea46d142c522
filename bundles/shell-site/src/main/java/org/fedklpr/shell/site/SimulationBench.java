package org.fedklpr.shell.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What simulating many clients in one process costs in memory: the same federation (FedKLPR with
 * KLL, magnitude pruning cutting from round 1 and KLPWA, 2 rounds, a small synthetic world per
 * client, parked client state on disk) run with one client and with several, each as its own
 * {@code fedklpr run} process, and the ratio of their peak resident memory. Every client trains on
 * the one live network in turn, so the ratio says what the clients' state and their updates add.
 */
final class SimulationBench {
    /** {@code -Dfedklpr.bench.simulation=ARCHITECTURE:CLIENTS} (FEDKLPR_JAVA_OPTS) changes what is simulated. */
    static final String PROPERTY = "fedklpr.bench.simulation";
    private static final String DEFAULT = "resnet50:8";

    private SimulationBench() {
    }

    /** One simulated federation: its peak resident memory, its wall time, the log it wrote. */
    record Measured(double peakGigabytes, double seconds, Path log) {
    }

    static String run(Path home, BenchRatios ratios) {
        String[] what = System.getProperty(PROPERTY, DEFAULT).split(":");
        String architecture = what[0];
        int clients;
        try {
            clients = Integer.parseInt(what.length > 1 ? what[1] : "8");
        } catch (NumberFormatException e) {
            return "-D" + PROPERTY + "=" + System.getProperty(PROPERTY) + ": expected ARCHITECTURE:CLIENTS, e.g. "
                    + DEFAULT + "\n";
        }
        Path launcher = home.resolve("fedklpr");
        if (!Files.isExecutable(launcher)) {
            return "Simulation: not run, " + launcher + " is not there to start the federations with.\n";
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("fedklpr-bench-simulation");
        } catch (IOException e) {
            return "Simulation: not run, no temporary folder: " + e.getMessage() + "\n";
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "Simulated clients in one process (%s, "
                + "FedKLPR, 2 rounds, one live network, client state parked on disk):%n%n"
                + "| clients | peak RSS GB | wall s |%n|---|---|---|%n", architecture));
        Measured one;
        Measured many;
        try {
            one = measure(command(launcher, home, architecture, 1, folder), folder.resolve("run-1.log"));
            table.append(String.format(Locale.ROOT, "| 1 | %.2f | %.0f |%n", one.peakGigabytes(), one.seconds()));
            many = measure(command(launcher, home, architecture, clients, folder),
                    folder.resolve("run-" + clients + ".log"));
            table.append(String.format(Locale.ROOT, "| %d | %.2f | %.0f |%n", clients, many.peakGigabytes(),
                    many.seconds()));
        } catch (IllegalStateException e) {
            // The folder stays: its logs say what went wrong.
            return table.append(String.format(Locale.ROOT, "%nNot finished: %s%n", e.getMessage())).toString();
        }
        BenchChild.deleteQuietly(folder); // the runs' checkpoints: hundreds of MB for ResNet-50 clients
        double ratio = many.peakGigabytes() / one.peakGigabytes();
        table.append(String.format(Locale.ROOT, "| ratio %d / 1 | %.2f | |%n", clients, ratio));
        ratios.add(clients + " " + architecture + " clients simulated, peak RSS GB / one client's",
                String.format(Locale.ROOT, "%.2f", many.peakGigabytes()),
                String.format(Locale.ROOT, "%.2f", one.peakGigabytes()), ratio, "at most 1.5");
        return table.toString();
    }

    /** The {@code fedklpr run} command line of a federation of {@code clients} simulated sites. */
    static List<String> command(Path launcher, Path home, String architecture, int clients, Path folder) {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "run",
                home.resolve("features").resolve("demo.json").toString(), "--rounds", "2",
                "--out", folder.resolve("run-" + clients).toString()));
        List<String> settings = new ArrayList<>(List.of(
                "org.fedklpr.coordinator:architecture=" + architecture,
                "org.fedklpr.coordinator:objectives=identity-ce,kll",
                "org.fedklpr.coordinator:pruner=magnitude",
                "org.fedklpr.coordinator:aggregator=klpwa",
                "org.fedklpr.coordinator:learningRate=0.005",
                "org.fedklpr.coordinator:localEpochs=1",
                "org.fedklpr.coordinator:dataRoot=" + folder.resolve("data-" + clients),
                "org.fedklpr.prune.crr:warmupRounds=0",
                "org.fedklpr.client:parkedState=disk",
                "org.fedklpr.data.synthetic:clients=" + clients,
                "org.fedklpr.data.synthetic:trainIdentities=4",
                "org.fedklpr.data.synthetic:testIdentities=3",
                "org.fedklpr.data.synthetic:cameras=2",
                "org.fedklpr.data.synthetic:trainImagesPerCamera=4"));
        if (architecture.startsWith("resnet")) {
            // The re-ID input size and embedding: what a ResNet client costs in practice.
            settings.addAll(List.of("org.fedklpr.coordinator:inputHeight=256",
                    "org.fedklpr.coordinator:inputWidth=128", "org.fedklpr.coordinator:embeddingDim=2048"));
        }
        for (String setting : settings) {
            command.add("--set");
            command.add(setting);
        }
        return command;
    }

    /**
     * Runs a command to its end and reads its peak resident memory (the kernel's high-water mark,
     * {@code VmHWM}) every 100 ms while it runs; the launcher script replaces itself with the JVM, so
     * the process started is the one measured.
     *
     * @throws IllegalStateException when the command fails, naming its log
     */
    static Measured measure(List<String> command, Path log) {
        long started = System.nanoTime();
        AtomicLong peakKilobytes = new AtomicLong();
        BenchChild.run(command, log, (status, line) -> {
        }, status -> peakKilobytes.accumulateAndGet(ProcStatus.kilobytes(status, ProcStatus.PEAK), Math::max));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (peakKilobytes.get() == 0) {
            throw new IllegalStateException("no peak memory could be read from /proc (Linux only; output: " + log
                    + ")");
        }
        return new Measured(peakKilobytes.get() / 1024.0 / 1024.0, seconds, log);
    }
}
