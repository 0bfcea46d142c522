package org.fedklpr.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: {@code <command> [feature] [options]}.
 *
 * @param command {@code demo}, {@code run} or {@code shell}
 * @param feature the feature file to assemble the runtime from
 * @param runDirectory where the experiment writes ({@code --out})
 * @param overrides {@code PID:key=value} settings applied on top of the feature's configurations
 * @param only for {@code compare}: the configurations to run (empty: all)
 * @param seeds for {@code compare}: seeds per configuration
 * @param operands what the command works on: for {@code evaluate} the query and gallery files, for
 *        {@code datasets inspect} the folder
 */
record LaunchOptions(String command, Path feature, Optional<Path> runDirectory, List<Override> overrides,
        List<String> only, int seeds, List<String> operands) {

    static final String USAGE = """
            usage: fedklpr <command> [options]

            commands:
              demo                 run a federated re-ID experiment on the synthetic world
                                   (features/demo.json) and print a table per round
              run <feature.json>   run the experiment that a feature file describes
              compare <feature.json>
                                   run every configuration of the feature's comparison (its
                                   fedklpr-comparison extension) on the same data and seed, then
                                   write comparison.md, comparison.json and charts
              shell <feature.json> start that runtime with an interactive Gogo shell
                                   (fedklpr:run, fedklpr:aggregator, fedklpr:status, install, ...)
              evaluate --query <Q.csv> --gallery <G.csv>
                                   score re-ID features from any system (rows pid,camid,f1,...,fd,
                                   no header) and print JSON: rank1, rank5, rank10, mAP, queries
              datasets inspect <folder>
                                   detect a dataset's layout and print JSON: images, identities
                                   and cameras per split, skipped, junk and distractor files
              bench [aggregation|evaluation|training|all]
                                   time the aggregators on ResNet-50-sized updates, the evaluator
                                   at Market-1501 scale, and ResNet-18/50 training at 256x128
                                   (beside PyTorch CPU when python3-torch is installed); print
                                   tables (default: all, a few minutes)
              help                 show this text

            options:
              --out <dir>          run directory (default runs/<name>-<time>)
              --rounds <n>         shorthand for --set org.fedklpr.coordinator:rounds=<n>
              --set <pid>:<key>=<value>
                                   override one configuration value of the feature (repeatable;
                                   list values are comma-separated); in compare it also wins
                                   over the plan's configurations that set the same key
              --only <a,b,...>     compare: run only these configurations
              --seeds <n>          compare: run every configuration with n seeds (the configured
                                   one and those after it) and report means and deviations
            """;

    /** One {@code --set}: a configuration value overriding the feature's. */
    record Override(String pid, String key, String value) {
    }

    /**
     * @param workingDirectory where the user typed the command: relative paths are resolved there
     */
    static LaunchOptions parse(String[] arguments, Path home, Path workingDirectory) throws LaunchException {
        if (arguments.length == 0) {
            throw new LaunchException("no command given\n\n" + USAGE);
        }
        String command = arguments[0];
        int next = 1;
        Path feature;
        List<String> operands = new ArrayList<>();
        switch (command) {
            case "demo", "evaluate" -> feature = home.resolve("features/demo.json");
            case "bench" -> {
                feature = home.resolve("features/demo.json");
                boolean section = arguments.length > 1 && !arguments[1].startsWith("--");
                operands.add(section ? arguments[1] : "all");
                next = section ? 2 : 1;
            }
            case "datasets" -> {
                if (arguments.length < 3 || !arguments[1].equals("inspect") || arguments[2].startsWith("--")) {
                    throw new LaunchException("'datasets' expects: fedklpr datasets inspect <folder>");
                }
                feature = home.resolve("features/demo.json");
                operands.add(workingDirectory.resolve(arguments[2]).toString());
                next = 3;
            }
            case "run", "shell", "compare" -> {
                if (arguments.length < 2 || arguments[1].startsWith("--")) {
                    throw new LaunchException("'" + command + "' needs a feature file, e.g. fedklpr " + command
                            + " features/demo.json");
                }
                feature = workingDirectory.resolve(arguments[1]);
                next = 2;
            }
            default -> throw new LaunchException("unknown command '" + command + "'\n\n" + USAGE);
        }
        Optional<Path> out = Optional.empty();
        List<Override> overrides = new ArrayList<>();
        List<String> only = new ArrayList<>();
        int seeds = 1;
        String query = null;
        String gallery = null;
        for (int i = next; i < arguments.length; i++) {
            String option = arguments[i];
            if (i + 1 >= arguments.length) {
                throw new LaunchException("option " + option + " needs a value");
            }
            String value = arguments[++i];
            switch (option) {
                case "--out" -> out = Optional.of(workingDirectory.resolve(value));
                case "--rounds" -> overrides.add(new Override("org.fedklpr.coordinator", "rounds", value));
                case "--set" -> overrides.add(parseSetting(value));
                case "--only" -> only.addAll(List.of(value.split(",")));
                case "--seeds" -> seeds = positive(option, value);
                case "--query" -> query = value;
                case "--gallery" -> gallery = value;
                default -> throw new LaunchException("unknown option '" + option + "'\n\n" + USAGE);
            }
        }
        if (command.equals("evaluate")) {
            if (query == null || gallery == null) {
                throw new LaunchException("'evaluate' needs both --query <Q.csv> and --gallery <G.csv>");
            }
            operands.add(workingDirectory.resolve(query).toString());
            operands.add(workingDirectory.resolve(gallery).toString());
        } else if (query != null || gallery != null) {
            throw new LaunchException("--query and --gallery belong to 'evaluate'");
        }
        return new LaunchOptions(command, feature, out, overrides, List.copyOf(only), seeds, List.copyOf(operands));
    }

    private static int positive(String option, String value) throws LaunchException {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaunchException(option + " expects a positive whole number, got '" + value + "'");
    }

    private static Override parseSetting(String setting) throws LaunchException {
        int colon = setting.indexOf(':');
        int equals = setting.indexOf('=', Math.max(colon, 0));
        if (colon <= 0 || equals <= colon + 1) {
            throw new LaunchException("--set expects <pid>:<key>=<value>, e.g. org.fedklpr.coordinator:rounds=3; got '"
                    + setting + "'");
        }
        return new Override(setting.substring(0, colon), setting.substring(colon + 1, equals),
                setting.substring(equals + 1));
    }
}
