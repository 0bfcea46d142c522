package org.fedklpr.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code fedklpr}: assembles a runtime from a feature file and runs it. The {@code fedklpr} script
 * sets the process environment first (allocator, threads, offline DJL); see README.md.
 */
public final class Main {
    private static final List<String> SHELL_BUNDLES = List.of("org.apache.felix.gogo.runtime",
            "org.apache.felix.gogo.command", "org.apache.felix.gogo.shell");

    static final String COMPARISON_EXTENSION = "fedklpr-comparison";

    private Main() {
    }

    public static void main(String[] arguments) {
        int code;
        try {
            code = launch(arguments);
        } catch (LaunchException e) {
            System.err.println("fedklpr: error: " + e.getMessage());
            code = 2;
        } catch (RuntimeException | Error e) {
            System.err.println("fedklpr: internal error: " + e);
            e.printStackTrace();
            code = 1;
        }
        // Felix's threads are not daemons: leave explicitly, whatever happened.
        System.exit(code);
    }

    static int launch(String[] arguments) throws LaunchException {
        if (arguments.length > 0 && List.of("help", "--help", "-h").contains(arguments[0])) {
            System.out.print(LaunchOptions.USAGE);
            return 0;
        }
        long started = System.nanoTime();
        Path home = Path.of(System.getProperty("fedklpr.home", ".")).toAbsolutePath().normalize();
        Path repository = Path.of(System.getProperty("fedklpr.bundles",
                home.resolve("runtime/launcher/target/bundles").toString()));
        // The fedklpr script starts Java in the project folder and says where the user was.
        Path workingDirectory = Path.of(System.getProperty("fedklpr.workdir", ".")).toAbsolutePath().normalize();
        LaunchOptions options = LaunchOptions.parse(arguments, home, workingDirectory);
        FeatureFile feature = FeatureFile.read(options.feature());
        List<FeatureFile.ResolvedBundle> bundles = new ArrayList<>(feature.bundles(repository));
        boolean shell = options.command().equals("shell");
        if (shell) {
            bundles.addAll(gogoBundles(repository));
        }
        Path runDirectory = options.runDirectory().orElseGet(() -> home.resolve("runs").resolve(
                feature.name().replaceAll("[^A-Za-z0-9._-]", "_") + (options.command().equals("compare") ? "-compare-"
                        : "-")
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
        List<LaunchOptions.Override> overrides = new ArrayList<>(options.overrides());
        overrides.add(0, new LaunchOptions.Override("org.fedklpr.coordinator", "feature", feature.path().toString()));
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(bundles, feature.configurations(overrides))) {
            // Commands that print JSON keep standard output for it alone.
            boolean printsJson = options.command().equals("evaluate") || options.command().equals("datasets");
            (printsJson ? System.err : System.out).printf(Locale.ROOT, "FedKLPR: %s, %d bundles started in %.2f s%n",
                    feature.name(), runtime.bundleCount() - 1, (System.nanoTime() - started) / 1e9);
            if (shell) {
                System.out.println("Gogo shell. Try: fedklpr:aggregators, fedklpr:run " + runDirectory
                        + ", fedklpr:aggregator fedavg, fedklpr:status, lb,"
                        + " start file:examples/aggregate-median/target/aggregate-median-0.1.0.jar; leave with: stop 0");
                runtime.waitForStop();
                return 0;
            }
            if (options.command().equals("bench")) {
                return runtime.runMain("bench", options.operands().get(0));
            }
            if (options.command().equals("evaluate")) {
                return runtime.runMain("evaluate", options.operands().get(0), options.operands().get(1));
            }
            if (options.command().equals("datasets")) {
                return runtime.runMain("datasets-inspect", options.operands().get(0));
            }
            if (options.command().equals("compare")) {
                String plan = feature.jsonExtension(COMPARISON_EXTENSION);
                List<String> compareArguments = new ArrayList<>(List.of("compare", runDirectory.toString(), plan,
                        options.only().isEmpty() ? "*" : String.join(",", options.only()),
                        String.valueOf(options.seeds()), String.valueOf(feature.coordinatorSeed(overrides))));
                // Named again so that a --set wins over a configuration of the plan that sets the same key.
                options.overrides().forEach(o -> compareArguments.add(o.pid() + ":" + o.key() + "=" + o.value()));
                return runtime.runMain(compareArguments.toArray(String[]::new));
            }
            return runtime.runMain("experiment", runDirectory.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static List<FeatureFile.ResolvedBundle> gogoBundles(Path repository) throws LaunchException {
        List<FeatureFile.ResolvedBundle> found = new ArrayList<>();
        for (String name : SHELL_BUNDLES) {
            try (Stream<Path> files = Files.list(repository)) {
                Path jar = files.filter(f -> f.getFileName().toString().startsWith(name + "-")).findFirst()
                        .orElseThrow(() -> new LaunchException("the shell needs " + name + " in " + repository));
                found.add(new FeatureFile.ResolvedBundle(name, jar));
            } catch (IOException e) {
                throw new LaunchException("cannot list the bundle folder " + repository + ": " + e, e);
            }
        }
        return found;
    }
}
