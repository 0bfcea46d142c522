package org.fedklpr.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The command line: {@code <command> [operands] [options]}. Every command knows its own options;
 * {@code --help} (or {@code -h}) anywhere prints that command's usage, options and an example.
 *
 * @param command {@code demo}, {@code run}, {@code compare}, {@code shell}, {@code evaluate},
 *        {@code datasets}, {@code bench} or {@code settings}
 * @param feature the feature file to assemble the runtime from
 * @param runDirectory where the experiment writes ({@code --out})
 * @param overrides settings given on the command line, applied over the feature's configurations
 * @param only for {@code compare}: the configurations to run (empty: all)
 * @param seeds for {@code compare}: seeds per configuration
 * @param operands what the command works on: for {@code evaluate} the query and gallery files, for
 *        {@code datasets inspect} the folder, for {@code bench} the section, for {@code settings} the
 *        PID (or nothing)
 */
record LaunchOptions(String command, Path feature, Optional<Path> runDirectory, List<Override> overrides,
        List<String> only, int seeds, List<String> operands) {

    /**
     * One setting given on the command line.
     *
     * @param origin the option it came from ({@code --set}, {@code --rounds}), named in messages
     */
    record Override(String origin, String pid, String key, String value) {
    }

    private record Option(String name, String value, String description) {
    }

    private record Command(String name, String synopsis, String summary, List<Option> options, String example) {
    }

    static final String COORDINATOR_PID = "org.fedklpr.coordinator";

    private static final Option OUT = new Option("--out", "DIR", "the run folder (default runs/<name>-<time>); "
            + "running again with the same folder resumes after its last completed round, or extends it when "
            + "--rounds asks for more");
    private static final Option ROUNDS = new Option("--rounds", "N", "federated rounds after round 0, the initial "
            + "evaluation (the same as --set org.fedklpr.coordinator:rounds=N)");
    private static final Option SET = new Option("--set", "PID:KEY=VALUE", "one configuration value over the "
            + "feature's (repeatable; lists are comma-separated). PID, key and value are checked against the "
            + "metatype of the installed bundles before anything runs; fedklpr settings lists them all");

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        add(new Command("demo", "fedklpr demo [options]",
                "Runs the demo experiment (features/demo.json: FedPav on 4 synthetic camera sites, a tiny CNN) and "
                        + "prints a table per round; the synthetic world is written once to data/.",
                List.of(ROUNDS, OUT, SET), "fedklpr demo --rounds 3 --out runs/try"));
        add(new Command("run", "fedklpr run FEATURE [options]",
                "Runs the experiment that a feature file describes (its bundles and configurations).",
                List.of(ROUNDS, OUT, SET), "fedklpr run features/demo.json --set org.fedklpr.coordinator:aggregator=fedavg"
                        + " --set org.fedklpr.coordinator:labelSpace=shared"));
        add(new Command("compare", "fedklpr compare FEATURE [options]",
                "Runs every configuration of the feature's comparison plan (its fedklpr-comparison extension) on the"
                        + " same data and seeds, then writes comparison.md, comparison.json and charts. Every"
                        + " configuration's settings and names are checked before the first run; a folder that holds"
                        + " a finished run is reused.",
                List.of(new Option("--only", "A,B,...", "run only these configurations of the plan"),
                        new Option("--seeds", "N", "run each configuration with N seeds (the configured seed and "
                                + "the ones after it); report means, deviations and the seed-by-seed difference"),
                        ROUNDS, OUT, new Option(SET.name(), SET.value(), SET.description()
                                + "; a --set also wins over the plan's configurations")),
                "fedklpr compare features/benchmark-synth8.json --only FedPav,FedKLPR --seeds 3"));
        add(new Command("shell", "fedklpr shell FEATURE [options]",
                "Starts the feature's runtime with an interactive Gogo shell: fedklpr:run DIR, fedklpr:status, "
                        + "fedklpr:aggregator NAME, fedklpr:set KEY VALUE, install/start of third-party bundles; "
                        + "leave with: stop 0.",
                List.of(new Option(OUT.name(), OUT.value(), "the run folder the shell suggests for fedklpr:run"),
                        SET),
                "fedklpr shell features/demo.json"));
        add(new Command("evaluate", "fedklpr evaluate --query Q.csv --gallery G.csv [options]",
                "Scores re-ID features from any system with the Market-1501 protocol, exactly as torchreid's "
                        + "eval_market1501 does, and prints JSON: rank1, rank5, rank10, mAP (plain), mAP_official "
                        + "(interpolated), queries scored, queries_without_match. Each CSV row is one image, no "
                        + "header: pid,camid,f1,...,fd. pid -1 is junk (never ranked); every other pid, 0 included,"
                        + " is a person. Gallery entries of the query's person seen by the query's camera are left"
                        + " out; a query with no other valid match is not scored.",
                List.of(new Option("--query", "FILE", "the query features (CSV)"),
                        new Option("--gallery", "FILE", "the gallery features (CSV)"),
                        new Option(SET.name(), SET.value(), "an evaluator setting, e.g. "
                                + "org.fedklpr.eval:reRanking=true")),
                "fedklpr evaluate --query runs/q.csv --gallery runs/g.csv"));
        add(new Command("datasets", "fedklpr datasets inspect FOLDER [options]",
                "Detects a dataset's layout (market1501, msmt17, fedreid) and prints JSON: per split the images, "
                        + "identities, cameras, junk and distractors; every image decoded as training would, so "
                        + "that what a run would skip is listed (by reason, with examples); queries without a "
                        + "valid gallery match; warnings such as a gallery of junk only.",
                List.of(SET), "fedklpr datasets inspect data/fedreid/market"));
        add(new Command("bench", "fedklpr bench [aggregation|evaluation|training|all] [options]",
                "Times the aggregators on ResNet-50-sized updates, the evaluator at Market-1501 scale, and "
                        + "ResNet-18/50 training at 256x128 (beside PyTorch CPU when python3-torch is installed); "
                        + "prints tables (default: all, a few minutes).",
                List.of(SET), "fedklpr bench evaluation"));
        add(new Command("settings", "fedklpr settings [PID] [options]",
                "Lists every configuration PID the runtime's bundles declare, with each key's type, range, "
                        + "default and meaning: what --set, feature files and comparison plans accept.",
                List.of(new Option("--feature", "FEATURE", "the runtime whose bundles to ask (default "
                        + "features/demo.json)")),
                "fedklpr settings org.fedklpr.coordinator"));
        add(new Command("help", "fedklpr help [COMMAND]", "Shows the commands, or one command's usage.", List.of(),
                "fedklpr help compare"));
    }

    private static void add(Command command) {
        COMMANDS.put(command.name(), command);
    }

    /** The overview: every command in one line, the exit codes, where to read more. */
    static String overview() {
        StringBuilder text = new StringBuilder("usage: fedklpr <command> [options]   (fedklpr <command> --help for"
                + " its options and an example)\n\ncommands:\n");
        for (Command command : COMMANDS.values()) {
            text.append(String.format(Locale.ROOT, "  %-10s %s%n", command.name(), firstSentence(command.summary())));
        }
        text.append("\n").append(EXIT_CODES);
        return text.toString();
    }

    private static final String EXIT_CODES = """
            exit codes:
              0  done
              1  a bug: the stack trace is written to a file that the last line names
              2  a command line, setting or input file is wrong: each problem on its own line, naming the
                 option, file, PID or key and what was expected; nothing ran
              3  the run started but failed (e.g. every update of a round was rejected); the message and
                 summary.json say why, and the last completed round stays resumable
            """;

    /** One command's usage, options and example. */
    static String usage(String name) {
        Command command = COMMANDS.get(name);
        StringBuilder text = new StringBuilder("usage: ").append(command.synopsis()).append("\n\n")
                .append(wrap(command.summary(), "", 100)).append("\n");
        if (!command.options().isEmpty()) {
            text.append("\noptions:\n");
            for (Option option : command.options()) {
                text.append("  ").append(option.name()).append(' ').append(option.value()).append('\n')
                        .append(wrap(option.description(), "      ", 100)).append('\n');
            }
        }
        text.append("\nexample:\n  ").append(command.example()).append("\n");
        return text.toString();
    }

    /**
     * What to print instead of running, if the command line asks for help: {@code help},
     * {@code help COMMAND}, or {@code --help}/{@code -h} anywhere.
     */
    static Optional<String> help(String[] arguments) {
        if (arguments.length == 0) {
            return Optional.empty();
        }
        boolean asked = List.of(arguments).contains("--help") || List.of(arguments).contains("-h");
        String first = arguments[0];
        if (first.equals("help")) {
            if (arguments.length > 1 && COMMANDS.containsKey(arguments[1])) {
                return Optional.of(usage(arguments[1]));
            }
            return Optional.of(asked ? usage(first) : overview());
        }
        if (asked) {
            return Optional.of(COMMANDS.containsKey(first) ? usage(first) : overview());
        }
        return Optional.empty();
    }

    /**
     * @param workingDirectory where the user typed the command: relative paths are resolved there
     */
    static LaunchOptions parse(String[] arguments, Path home, Path workingDirectory) throws LaunchException {
        if (arguments.length == 0) {
            throw new LaunchException("no command given\n\n" + overview());
        }
        String name = arguments[0];
        Command command = COMMANDS.get(name);
        if (command == null || name.equals("help")) {
            throw new LaunchException("unknown command '" + name + "'; the commands are "
                    + String.join(", ", COMMANDS.keySet()) + " (fedklpr --help)");
        }
        List<String> positional = new ArrayList<>();
        Optional<Path> out = Optional.empty();
        List<Override> overrides = new ArrayList<>();
        List<String> only = new ArrayList<>();
        int seeds = 1;
        String query = null;
        String gallery = null;
        Path feature = home.resolve("features/demo.json");
        for (int i = 1; i < arguments.length; i++) {
            String argument = arguments[i];
            if (!argument.startsWith("--")) {
                positional.add(argument);
                continue;
            }
            Option option = command.options().stream().filter(o -> o.name().equals(argument)).findFirst()
                    .orElseThrow(() -> new LaunchException("fedklpr " + name + ": unknown option '" + argument + "'"
                            + (command.options().isEmpty() ? "; it takes none"
                                    : "; its options: " + String.join(", ",
                                            command.options().stream().map(Option::name).toList()))
                            + " (fedklpr " + name + " --help)"));
            if (i + 1 >= arguments.length || arguments[i + 1].startsWith("--")) {
                throw new LaunchException("fedklpr " + name + ": option " + option.name() + " needs a value: "
                        + option.value() + ", " + firstSentence(option.description()));
            }
            String value = arguments[++i];
            switch (option.name()) {
                case "--out" -> out = Optional.of(workingDirectory.resolve(value));
                case "--rounds" -> overrides.add(new Override("--rounds", COORDINATOR_PID, "rounds", value));
                case "--set" -> overrides.add(parseSetting(value));
                case "--only" -> only.addAll(List.of(value.split(",")));
                case "--seeds" -> seeds = positive(option, value);
                case "--query" -> query = value;
                case "--gallery" -> gallery = value;
                case "--feature" -> feature = workingDirectory.resolve(value);
                default -> throw new IllegalStateException("option " + option.name() + " is declared but not read");
            }
        }
        List<String> operands = new ArrayList<>();
        switch (name) {
            case "run", "compare", "shell" -> {
                expect(name, positional, 1, "FEATURE, a feature file, e.g. fedklpr " + name + " features/demo.json");
                feature = workingDirectory.resolve(positional.get(0));
            }
            case "datasets" -> {
                if (positional.size() != 2 || !positional.get(0).equals("inspect")) {
                    throw new LaunchException("fedklpr datasets: expected 'datasets inspect FOLDER', got 'datasets "
                            + String.join(" ", positional) + "' (fedklpr datasets --help)");
                }
                operands.add(workingDirectory.resolve(positional.get(1)).toString());
            }
            case "bench" -> {
                List<String> sections = List.of("aggregation", "evaluation", "training", "all");
                if (positional.size() > 1 || positional.size() == 1 && !sections.contains(positional.get(0))) {
                    throw new LaunchException("fedklpr bench: expected one of " + String.join(", ", sections)
                            + ", got '" + String.join(" ", positional) + "'");
                }
                operands.add(positional.isEmpty() ? "all" : positional.get(0));
            }
            case "settings" -> {
                if (positional.size() > 1) {
                    throw new LaunchException("fedklpr settings: expected at most one PID, got "
                            + String.join(" ", positional));
                }
                operands.addAll(positional);
            }
            case "evaluate" -> {
                expect(name, positional, 0, "");
                if (query == null || gallery == null) {
                    throw new LaunchException("fedklpr evaluate: needs both --query FILE and --gallery FILE "
                            + "(CSV rows pid,camid,f1,...,fd; fedklpr evaluate --help)");
                }
                operands.add(workingDirectory.resolve(query).toString());
                operands.add(workingDirectory.resolve(gallery).toString());
            }
            default -> expect(name, positional, 0, "");
        }
        return new LaunchOptions(name, feature, out, overrides, List.copyOf(only), seeds, List.copyOf(operands));
    }

    private static void expect(String command, List<String> positional, int count, String what)
            throws LaunchException {
        if (positional.size() < count) {
            throw new LaunchException("fedklpr " + command + ": needs " + what);
        }
        if (positional.size() > count) {
            throw new LaunchException("fedklpr " + command + ": unexpected argument '" + positional.get(count)
                    + "' (fedklpr " + command + " --help)");
        }
    }

    private static int positive(Option option, String value) throws LaunchException {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaunchException(option.name() + " " + value + ": expected a whole number ≥ 1, got '" + value + "'");
    }

    private static Override parseSetting(String setting) throws LaunchException {
        int colon = setting.indexOf(':');
        int equals = setting.indexOf('=', Math.max(colon, 0));
        if (colon <= 0 || equals <= colon + 1) {
            throw new LaunchException("--set " + setting + ": expected PID:KEY=VALUE, e.g. "
                    + "org.fedklpr.coordinator:rounds=3");
        }
        return new Override("--set", setting.substring(0, colon), setting.substring(colon + 1, equals),
                setting.substring(equals + 1));
    }

    private static String firstSentence(String text) {
        int stop = text.indexOf(". ");
        return stop < 0 ? text.replaceAll("\\.$", "") : text.substring(0, stop);
    }

    private static String wrap(String text, String indent, int width) {
        StringBuilder wrapped = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                wrapped.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        return wrapped.append(line).toString();
    }
}
