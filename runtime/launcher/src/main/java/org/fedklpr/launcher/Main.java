package org.fedklpr.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
            for (String line : e.getMessage().split("\n")) {
                System.err.println("fedklpr: error: " + line);
            }
            code = 2;
        }
        // Felix's threads are not daemons: leave explicitly, whatever happened.
        System.exit(code);
    }

    static int launch(String[] arguments) throws LaunchException {
        Optional<String> help = LaunchOptions.help(arguments);
        if (help.isPresent()) {
            System.out.print(help.get());
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
        if (options.command().equals("assemble")) {
            Path written = Assembly.write(feature, bundles, gogoBundles(repository), launcherFolder(),
                    options.runDirectory().orElseThrow());
            System.out.println("fedklpr: assembled " + feature.name() + " (" + bundles.size() + " bundles) in " + written
                    + "; on the target host: ./fedklpr --help");
            return 0;
        }
        boolean shell = options.command().equals("shell");
        if (shell) {
            bundles.addAll(gogoBundles(repository));
        }
        Path runDirectory = options.runDirectory().orElseGet(() -> home.resolve("runs").resolve(
                feature.name().replaceAll("[^A-Za-z0-9._-]", "_") + (options.command().equals("compare") ? "-compare-"
                        : "-")
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))));
        Map<String, Object> settings = new HashMap<>();
        settings.put("origin", shown(feature.path(), workingDirectory, home));
        settings.put("configurations", feature.configurationsJson());
        List<LaunchOptions.Override> overrides = new ArrayList<>(options.overrides());
        boolean loopback = "grpc".equals(options.named().get("--transport"));
        if (loopback) {
            // One JVM per site on this machine, found by its token; plaintext is safe on loopback only.
            String grpc = LaunchOptions.GRPC_PID;
            overrides.add(0, new LaunchOptions.Override("--transport", LaunchOptions.COORDINATOR_PID, "transport", "grpc"));
            overrides.add(1, new LaunchOptions.Override("--transport", grpc, "listen", "127.0.0.1:0"));
            overrides.add(2, new LaunchOptions.Override("--transport", grpc, "plaintext", "true"));
            overrides.add(3, new LaunchOptions.Override("--transport", grpc, "siteTokens",
                    runDirectory.resolve("credentials/site-tokens.json").toString()));
            // The sites share this machine's cores: taking turns, each trains as fast as a simulated one.
            overrides.add(4, new LaunchOptions.Override("--transport", grpc, "concurrentSites", "1"));
        }
        settings.put("overrides", overrides.stream().map(o -> List.of(o.origin(), o.pid(), o.key(), o.value()))
                .toList());
        Map<String, String> properties = Map.of("fedklpr.feature", feature.path().toString());
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(bundles, settings, properties)) {
            // Commands that print JSON or a listing keep standard output for it alone.
            boolean quiet = List.of("evaluate", "datasets", "settings", "search").contains(options.command());
            (quiet ? System.err : System.out).printf(Locale.ROOT, "FedKLPR: %s, %d bundles started in %.2f s%n",
                    feature.name(), runtime.bundleCount() - 1, (System.nanoTime() - started) / 1e9);
            try {
                return run(runtime, options, feature, runDirectory, shell);
            } catch (RuntimeException | Error e) {
                // A bug, not the user's input (that is a FedklprException, handled in the runtime).
                boolean hasRunFolder = List.of("demo", "run", "compare", "coordinator").contains(options.command());
                return crashed(e, arguments, hasRunFolder ? runDirectory : null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int run(EmbeddedRuntime runtime, LaunchOptions options, FeatureFile feature, Path runDirectory,
            boolean shell) throws LaunchException, InterruptedException {
        if (shell) {
            System.out.println("Gogo shell. Try: fedklpr:aggregators, fedklpr:run " + runDirectory
                    + ", fedklpr:aggregator fedavg, fedklpr:status, lb,"
                    + " start file:examples/aggregate-median/target/aggregate-median-0.1.0.jar; leave with: stop 0");
            runtime.waitForStop();
            return 0;
        }
        switch (options.command()) {
            case "bench" -> {
                String section = options.operands().get(0);
                // The transport's bench is the gRPC bundle's; the others the site tools'.
                int code = section.equals("transport") ? 0 : runtime.runMain("bench", section);
                return code != 0 || !List.of("transport", "all").contains(section) ? code
                        : runtime.runMain("bench-transport");
            }
            case "evaluate" -> {
                return runtime.runMain("evaluate", options.operands().get(0), options.operands().get(1));
            }
            case "export", "extract", "search", "visrank" -> {
                List<String> operands = new ArrayList<>(List.of(options.command()));
                operands.addAll(options.operands());
                return runtime.runMain(operands.toArray(String[]::new));
            }
            case "datasets" -> {
                return runtime.runMain("datasets-inspect", options.operands().get(0));
            }
            case "pretrain" -> {
                return runtime.runMain("pretrain", options.runDirectory().map(Path::toString).orElse(""));
            }
            case "settings" -> {
                return runtime.runMain("settings", options.operands().isEmpty() ? "" : options.operands().get(0));
            }
            case "compare" -> {
                String plan = feature.jsonExtension(COMPARISON_EXTENSION);
                List<String> compareArguments = new ArrayList<>(List.of("compare", runDirectory.toString(), plan,
                        options.only().isEmpty() ? "*" : String.join(",", options.only()),
                        String.valueOf(options.seeds())));
                // Named again so that a --set wins over a configuration of the plan that sets the same key.
                options.overrides().forEach(o -> compareArguments.add(o.pid() + ":" + o.key() + "=" + o.value()));
                return runtime.runMain(compareArguments.toArray(String[]::new));
            }
            case "site", "credentials" -> {
                List<String> operands = new ArrayList<>(List.of(options.command()));
                operands.addAll(options.operands());
                return runtime.runMain(operands.toArray(String[]::new));
            }
            default -> {
                if ("grpc".equals(options.named().get("--transport"))) {
                    // The sites run this feature with the command line's settings: theirs are the simulation's.
                    List<String> sites = new ArrayList<>(List.of("start-local-sites", runDirectory.toString(),
                            feature.path().toString()));
                    options.overrides().forEach(o -> sites.add(o.pid() + ":" + o.key() + "=" + o.value()));
                    int started = runtime.runMain(sites.toArray(String[]::new));
                    if (started != 0) {
                        return started;
                    }
                }
                return runtime.runMain("experiment", runDirectory.toString());
            }
        }
    }

    /**
     * Writes the stack trace of a bug to {@code crash-<time>.log} in the run folder (or the temporary
     * folder when the command has none) and says where, in one line.
     */
    static int crashed(Throwable bug, String[] arguments, Path runDirectory) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            out.println("fedklpr " + String.join(" ", arguments));
            out.println("java " + System.getProperty("java.version") + ", " + time);
            bug.printStackTrace(out);
        }
        Path log = null;
        for (Path folder : runDirectory == null ? List.of(Path.of(System.getProperty("java.io.tmpdir")))
                : List.of(runDirectory, Path.of(System.getProperty("java.io.tmpdir")))) {
            try {
                Files.createDirectories(folder);
                log = Files.writeString(folder.resolve((runDirectory == null ? "fedklpr-crash-" : "crash-") + time
                        + ".log"), trace.toString());
                break;
            } catch (IOException e) {
                // try the next folder
            }
        }
        System.err.println("fedklpr: internal error (a bug, not your input): " + bug
                + (log == null ? "\n" + trace : "; the stack trace is in " + log));
        return 1;
    }

    /** A path as the user would write it: relative to where they are, or to the project. */
    private static String shown(Path path, Path workingDirectory, Path home) {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.startsWith(workingDirectory)) {
            return workingDirectory.relativize(absolute).toString();
        }
        return absolute.startsWith(home) ? home.relativize(absolute).toString() : absolute.toString();
    }

    /** The folder of the launcher's {@code classes/} and {@code lib/}, in the build or in an assembled runtime. */
    private static Path launcherFolder() throws LaunchException {
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException | RuntimeException e) {
            throw new LaunchException("cannot tell where the launcher's classes are: " + e.getMessage(), e);
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
