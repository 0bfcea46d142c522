package org.fedklpr.launcher;

import java.nio.file.Files;
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
 * @param command one of {@link #commands()}
 * @param feature the feature file to assemble the runtime from
 * @param runDirectory where the experiment writes ({@code --out})
 * @param overrides settings given on the command line, applied over the feature's configurations
 * @param only for {@code compare}: the configurations to run (empty: all)
 * @param seeds for {@code compare}: seeds per configuration
 * @param operands what the command works on: for {@code evaluate} the query and gallery files, for
 *        {@code datasets inspect} the folder, for {@code bench} the section, for {@code settings} the
 *        PID (or nothing), for {@code site} what the site command takes (see {@link #siteOperands}),
 *        for {@code credentials} the folder, the sites and the hosts
 * @param named the other options given, by name ({@code --transport}, {@code --listen}, ...); a flag's
 *        value is {@code true}
 */
record LaunchOptions(String command, Path feature, Optional<Path> runDirectory, List<Override> overrides,
        List<String> only, int seeds, List<String> operands, Map<String, String> named) {

    /**
     * One setting given on the command line.
     *
     * @param origin the option it came from ({@code --set}, {@code --rounds}), named in messages
     */
    record Override(String origin, String pid, String key, String value) {
    }

    /** An option; {@code value} null: a flag that takes no value. */
    private record Option(String name, String value, String description) {
    }

    private record Command(String name, String synopsis, String summary, List<Option> options, String example) {
    }

    static final String COORDINATOR_PID = "org.fedklpr.coordinator";
    static final String GRPC_PID = "org.fedklpr.transport.grpc";

    private static final Option OUT = new Option("--out", "DIR", "the run folder (default runs/<name>-<time>); "
            + "running again with the same folder resumes after its last completed round, or extends it when "
            + "--rounds asks for more");
    private static final Option ROUNDS = new Option("--rounds", "N", "federated rounds after round 0, the initial "
            + "evaluation (the same as --set org.fedklpr.coordinator:rounds=N)");
    private static final Option SET = new Option("--set", "PID:KEY=VALUE", "one configuration value over the "
            + "feature's (repeatable; lists are comma-separated). PID, key and value are checked against the "
            + "metatype of the installed bundles before anything runs; fedklpr settings lists them all");

    private static final Option TRANSPORT = new Option("--transport", "inprocess|grpc", "inprocess (the default): "
            + "every site is simulated in this JVM; grpc: every client folder of the generated world becomes a site "
            + "in its own JVM (fedklpr site) that talks gRPC to this process on loopback, in plaintext, with its "
            + "own token; the metrics are the same");
    private static final Option LISTEN = new Option("--listen", "HOST:PORT", "the address the coordinator's gRPC "
            + "server listens on, e.g. 0.0.0.0:7077 for every interface");
    private static final Option CREDENTIALS = new Option("--credentials", "DIR", "the folder fedklpr credentials "
            + "wrote: the sites' token digests (site-tokens.json; its order is the experiment's order of sites), "
            + "the coordinator's TLS key and certificate (coordinator.p12, coordinator.password)");
    private static final Option PLAINTEXT = new Option("--plaintext", null, "no TLS: tokens and models travel in "
            + "clear. Only on loopback or a network that is otherwise protected; both sides must say it");
    private static final Option COORDINATOR = new Option("--coordinator", "HOST:PORT", "where the coordinator "
            + "listens (its --listen address as this machine reaches it)");
    private static final Option NAME = new Option("--name", "NAME", "this site's name, as the credentials name it");
    private static final Option DATA = new Option("--data", "DIR", "this site's dataset folder (its images never "
            + "leave this machine); its layout is the one the coordinator's datasetFormat names");
    private static final Option STATE = new Option("--state", "DIR", "where this site keeps what it carries "
            + "between rounds (its identity head, pruning state), one file per completed round; back it up with the "
            + "data. Default: site-state/NAME in the current folder");
    private static final Option TOKEN_FILE = new Option("--token-file", "FILE", "this site's secret token "
            + "(NAME.token, from fedklpr credentials)");
    private static final Option TRUST = new Option("--trust", "FILE", "the certificate authority that signed the "
            + "coordinator's certificate (ca.pem, from fedklpr credentials)");

    private static final Option MODEL = new Option("--model", "FILE", "a model that fedklpr export wrote");

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        add(new Command("demo", "fedklpr demo [options]",
                "Runs the demo experiment (features/demo.json: FedPav on 4 synthetic camera sites, a tiny CNN) and "
                        + "prints a table per round; the synthetic world is written once to data/.",
                List.of(ROUNDS, OUT, SET, TRANSPORT), "fedklpr demo --rounds 3 --out runs/try"));
        add(new Command("run", "fedklpr run FEATURE [options]",
                "Runs the experiment that a feature file describes (its bundles and configurations).",
                List.of(ROUNDS, OUT, SET, TRANSPORT), "fedklpr run features/demo.json --set org.fedklpr.coordinator:aggregator=fedavg"
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
        add(new Command("pretrain", "fedklpr pretrain FEATURE [options]",
                "Trains the feature's network (architecture, input and embedding size of its experiment) on public "
                        + "data, by default a public synthetic world of its own seed whose people are no client's, "
                        + "and keeps the backbone as a .npz under data/pretrained, printing a line per epoch. "
                        + "pretrainedWeights=public starts an experiment from it (made then if it is not there yet); "
                        + "a file already made with the same settings is reused. Sizes and training: "
                        + "fedklpr settings org.fedklpr.pretrain and org.fedklpr.data.synthetic.public.",
                List.of(new Option("--out", "FILE", "also copy the backbone to FILE, e.g. to give it to the sites "
                        + "of a federation as their pretrainedWeights"), SET),
                "fedklpr pretrain features/benchmark-synth8.json --out backbone.npz"));
        add(new Command("coordinator", "fedklpr coordinator FEATURE --listen HOST:PORT --credentials DIR [options]",
                "Runs the feature's experiment as the coordinator of a federation: the sites its credentials name "
                        + "connect to it from their own machines (fedklpr site) and train there; only weights and "
                        + "counts cross the network. Its runtime needs no learning engine (features/coordinator.json "
                        + "has none). Started again with the same command after a crash, it resumes after the last "
                        + "completed round and the sites come back by themselves.",
                List.of(LISTEN, CREDENTIALS, PLAINTEXT, ROUNDS, OUT, SET),
                "fedklpr coordinator features/coordinator.json --listen 0.0.0.0:7077 --credentials creds --out runs/fed"));
        add(new Command("site", "fedklpr site FEATURE --coordinator HOST:PORT --name NAME --data DIR [options]",
                "Runs this machine as one site of a federation until the coordinator ends the experiment: it reads "
                        + "its own data, trains locally and sends only its update. When the coordinator cannot be "
                        + "reached it keeps trying, and goes on from its own saved state.",
                List.of(COORDINATOR, NAME, DATA, STATE, TOKEN_FILE, TRUST, PLAINTEXT, SET),
                "fedklpr site features/site.json --coordinator coordinator.example.org:7077 --name market --data "
                        + "/data/market --token-file market.token --trust ca.pem"));
        add(new Command("credentials", "fedklpr credentials --out DIR --sites A,B,... [options]",
                "Creates what a federation authenticates with: a certificate authority (ca.p12 and its password: "
                        + "keep them offline), the coordinator's TLS key and certificate for its host names "
                        + "(coordinator.p12, coordinator.password), the certificate sites trust (ca.pem), and one "
                        + "secret token per site (NAME.token) with the digests the coordinator checks "
                        + "(site-tokens.json). Give each site its own token file and ca.pem. Uses the JDK's keytool; "
                        + "nothing else is needed.",
                List.of(new Option("--out", "DIR", "the folder to write (it must not hold credentials already)"),
                        new Option("--sites", "A,B,...", "the sites' names, in the experiment's order"),
                        new Option("--host", "HOST,...", "the names and addresses sites reach the coordinator by "
                                + "(default: localhost and 127.0.0.1, which are always included)")),
                "fedklpr credentials --out creds --sites duke,market,cuhk03 --host coordinator.example.org"));
        add(new Command("assemble", "fedklpr assemble FEATURE --out DIR|FILE.tar.gz",
                "Writes a runtime that travels: the launcher, exactly the feature's bundles (and the Gogo shell's), "
                        + "the feature file and a start script (fedklpr), in a folder or a .tar.gz. It runs on a host "
                        + "with only a JDK 17: no Maven, no source tree, nothing downloaded. This is how a site "
                        + "operator gets the site runtime.",
                List.of(new Option("--out", "DIR|FILE.tar.gz", "where to write it: a new or empty folder, or an "
                        + "archive whose top folder is named after it")),
                "fedklpr assemble features/site.json --out fedklpr-site.tar.gz"));
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
        add(new Command("export", "fedklpr export RUN --out model.npz",
                "Writes the global model of a run's last completed round (backbone and embedding, as its checkpoint "
                        + "holds them) as a NumPy .npz with a manifest entry, fedklpr-model.json: architecture, input "
                        + "size and normalisation, embedding size, flip fusion, the round, each site's Rank-1 and mAP "
                        + "of it, every setting in effect. Reads only the run folder: it works where a coordinator "
                        + "ran, without a learning engine.",
                List.of(new Option("--out", "FILE", "the model file to write (replaced if it exists)")),
                "fedklpr export runs/demo --out model.npz"));
        add(new Command("extract", "fedklpr extract --model model.npz --images DIR --out features.csv",
                "Embeds every image of a folder (sub-folders included) with an exported model, exactly as the run's "
                        + "sites did, and writes one CSV row per image: pid,camid,f1,...,fd when every name carries "
                        + "them (Market-1501 style or cam_C_P_I), so that fedklpr evaluate scores the file, else "
                        + "path,f1,...,fd with the path relative to DIR. Files that are not images or do not decode "
                        + "are skipped and counted.",
                List.of(MODEL, new Option("--images", "DIR", "the folder of images"),
                        new Option("--out", "FILE", "the CSV to write")),
                "fedklpr extract --model model.npz --images data/synthetic-demo/client-1/query --out query.csv"));
        add(new Command("search", "fedklpr search --model model.npz --gallery DIR --query IMAGE [options]",
                "Ranks a folder of images by their distance to one query image under an exported model, the "
                        + "deployment use of a re-ID model, and prints the nearest. The gallery's features are "
                        + "computed once per model and gallery and kept in the cache folder (FEDKLPR_CACHE, default "
                        + "~/.cache/fedklpr); a changed model or gallery computes them again.",
                List.of(MODEL, new Option("--gallery", "DIR", "the folder of images to search"),
                        new Option("--query", "IMAGE", "the image of the person to look for"),
                        new Option("--top", "N", "how many of the nearest to print (default 10)")),
                "fedklpr search --model model.npz --gallery data/synthetic-demo/client-1/bounding_box_test --query "
                        + "data/synthetic-demo/client-1/query/0065_c2s2_003304_03.jpg"));
        add(new Command("visrank", "fedklpr visrank RUN --client NAME [options]",
                "Draws rank lists of a run's final global model at one of its sites, as torchreid's visrank does: "
                        + "per query, the query crop and its nearest gallery crops, framed green (a correct match), "
                        + "red (a wrong one) or grey and struck through (junk, or the query's person seen by its own "
                        + "camera, which the protocol leaves out). The site's images must be on this machine (a "
                        + "simulated site). Writes one PNG per query, index.html and rankings.json to "
                        + "RUN/visrank/NAME/.",
                List.of(new Option("--client", "NAME", "the site, as the run's metrics name it"),
                        new Option("--top", "N", "gallery entries that count to show per query (default 10)"),
                        new Option("--queries", "N", "how many queries, spread evenly over the site's query set "
                                + "(default 20)")),
                "fedklpr visrank runs/demo --client client-1 --top 10 --queries 20"));
        add(new Command("datasets", "fedklpr datasets inspect FOLDER [options]",
                "Detects a dataset's layout (market1501, msmt17, fedreid) and prints JSON: per split the images, "
                        + "identities, cameras, junk and distractors; every image decoded as training would, so "
                        + "that what a run would skip is listed (by reason, with examples); queries without a "
                        + "valid gallery match; warnings such as a gallery of junk only.",
                List.of(SET), "fedklpr datasets inspect data/fedreid/market"));
        add(new Command("bench",
                "fedklpr bench [aggregation|evaluation|training|transport|pseudo-labels|simulation|growth|all] [options]",
                "Times the aggregators on ResNet-50-sized updates, the evaluator at Market-1501 scale, "
                        + "ResNet-18/50 training at 256x128 (beside PyTorch CPU when python3-torch is installed), "
                        + "a ResNet-50-sized update over gRPC on loopback with TLS beside a plain socket copy, and the "
                        + "pseudo-labelling of a Market-1501-sized site; measures the peak memory of 8 simulated "
                        + "ResNet-50 clients against one (two federations run as their own processes, about 15 min "
                        + "on 2 cores) the resident memory of the demo over 200 rounds and of one compare process over 12 runs (about 35 min); prints tables "
                        + "and the ratios against their references (default: all).",
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

    /** Every command's name, in the order the overview lists them. */
    static List<String> commands() {
        return List.copyOf(COMMANDS.keySet());
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
                text.append("  ").append(option.name()).append(option.value() == null ? "" : " " + option.value())
                        .append('\n')
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
        // An assembled runtime holds one feature, and names it as the default.
        Path feature = home.resolve(System.getProperty("fedklpr.defaultFeature", name.equals("credentials")
                ? "features/coordinator.json" : "features/demo.json"));
        Map<String, String> named = new LinkedHashMap<>();
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
            if (option.value() == null) {
                named.put(option.name(), "true");
                continue;
            }
            if (i + 1 >= arguments.length || arguments[i + 1].startsWith("--")) {
                throw new LaunchException("fedklpr " + name + ": option " + option.name() + " needs a value: "
                        + option.value() + ", " + firstSentence(option.description()));
            }
            String value = arguments[++i];
            switch (option.name()) {
                case "--out" -> out = Optional.of(workingDirectory.resolve(value));
                case "--transport", "--listen", "--credentials", "--coordinator", "--name", "--data", "--state",
                        "--token-file", "--trust", "--sites", "--host", "--model", "--images" -> named.put(option.name(),
                                value);
                case "--top", "--queries" -> named.put(option.name(), String.valueOf(positive(option, value)));
                case "--client" -> named.put(option.name(), value);
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
            case "export" -> {
                expect(name, positional, 1, "RUN, a run folder, e.g. fedklpr export runs/demo --out model.npz");
                if (out.isEmpty()) {
                    throw new LaunchException("fedklpr export: needs --out FILE, the model file to write (fedklpr "
                            + "export --help)");
                }
                Path run = workingDirectory.resolve(positional.get(0));
                if (!Files.isDirectory(run)) {
                    throw new LaunchException("fedklpr export: run folder " + positional.get(0) + " does not exist ("
                            + run + ")");
                }
                operands.addAll(List.of(run.toString(), out.get().toString()));
            }
            case "extract" -> {
                expect(name, positional, 0, "");
                Option images = command.options().get(1);
                require(name, named, MODEL, images);
                if (out.isEmpty()) {
                    throw new LaunchException("fedklpr extract: needs --out FILE, the CSV to write (fedklpr extract "
                            + "--help)");
                }
                operands.add(existing(name, MODEL, workingDirectory.resolve(named.get("--model"))).toString());
                operands.add(folder(name, images, workingDirectory.resolve(named.get("--images"))).toString());
                operands.add(out.get().toString());
            }
            case "search" -> {
                expect(name, positional, 0, "");
                if (gallery == null || query == null) {
                    throw new LaunchException("fedklpr search: needs --gallery DIR and --query IMAGE (fedklpr search "
                            + "--help)");
                }
                require(name, named, MODEL);
                operands.add(existing(name, MODEL, workingDirectory.resolve(named.get("--model"))).toString());
                operands.add(folder(name, command.options().get(1), workingDirectory.resolve(gallery)).toString());
                operands.add(existing(name, command.options().get(2), workingDirectory.resolve(query)).toString());
                operands.add(named.getOrDefault("--top", "10"));
            }
            case "visrank" -> {
                expect(name, positional, 1, "RUN, a run folder, e.g. fedklpr visrank runs/demo --client client-1");
                require(name, named, command.options().get(0));
                Path run = workingDirectory.resolve(positional.get(0));
                if (!Files.isDirectory(run)) {
                    throw new LaunchException("fedklpr visrank: run folder " + positional.get(0) + " does not exist ("
                            + run + ")");
                }
                operands.addAll(List.of(run.toString(), named.get("--client"), named.getOrDefault("--top", "10"),
                        named.getOrDefault("--queries", "20")));
            }
            case "run", "compare", "shell", "coordinator", "site", "assemble", "pretrain" -> {
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
                List<String> sections = List.of("aggregation", "evaluation", "training", "transport", "pseudo-labels",
                        "simulation", "growth", "all");
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
        switch (name) {
            case "demo", "run" -> {
                String transport = named.getOrDefault("--transport", "inprocess");
                if (!List.of("inprocess", "grpc").contains(transport)) {
                    throw new LaunchException("fedklpr " + name + ": --transport " + transport + ": expected inprocess"
                            + " or grpc");
                }
            }
            case "coordinator" -> {
                require(name, named, LISTEN, CREDENTIALS);
                address(name, LISTEN, named.get("--listen"));
                Path credentials = workingDirectory.resolve(named.get("--credentials"));
                existing(name, CREDENTIALS, credentials.resolve("site-tokens.json"));
                overrides.add(0, new Override("--listen", COORDINATOR_PID, "transport", "grpc"));
                overrides.add(1, new Override("--listen", GRPC_PID, "listen", named.get("--listen")));
                overrides.add(2, new Override("--credentials", GRPC_PID, "siteTokens",
                        credentials.resolve("site-tokens.json").toString()));
                if (named.containsKey("--plaintext")) {
                    overrides.add(3, new Override("--plaintext", GRPC_PID, "plaintext", "true"));
                } else {
                    existing(name, CREDENTIALS, credentials.resolve("coordinator.p12"));
                    overrides.add(3, new Override("--credentials", GRPC_PID, "keystore",
                            credentials.resolve("coordinator.p12").toString()));
                    overrides.add(4, new Override("--credentials", GRPC_PID, "keystorePasswordFile",
                            credentials.resolve("coordinator.password").toString()));
                }
            }
            case "site" -> {
                require(name, named, COORDINATOR, NAME, DATA, TOKEN_FILE);
                address(name, COORDINATOR, named.get("--coordinator"));
                boolean plaintext = named.containsKey("--plaintext");
                if (!plaintext) {
                    require(name, named, TRUST);
                }
                Path data = workingDirectory.resolve(named.get("--data"));
                if (!Files.isDirectory(data)) {
                    throw new LaunchException("fedklpr site: --data " + named.get("--data") + ": no such folder ("
                            + data + ")");
                }
                Path token = existing(name, TOKEN_FILE, workingDirectory.resolve(named.get("--token-file")));
                Path trust = plaintext ? null : existing(name, TRUST, workingDirectory.resolve(named.get("--trust")));
                Path state = workingDirectory.resolve(named.getOrDefault("--state", "site-state/" + named.get("--name")));
                operands.addAll(List.of(named.get("--coordinator"), named.get("--name"), data.toString(),
                        state.toString(), token.toString(), trust == null ? "" : trust.toString(),
                        String.valueOf(plaintext)));
            }
            case "assemble" -> {
                if (out.isEmpty()) {
                    throw new LaunchException("fedklpr assemble: needs --out DIR|FILE.tar.gz (fedklpr assemble --help)");
                }
            }
            case "credentials" -> {
                if (!named.containsKey("--sites") || out.isEmpty()) {
                    throw new LaunchException("fedklpr credentials: needs --out DIR and --sites A,B,... (fedklpr "
                            + "credentials --help)");
                }
                operands.addAll(List.of(out.get().toString(), named.get("--sites"), named.getOrDefault("--host", "")));
            }
            default -> {
            }
        }
        return new LaunchOptions(name, feature, out, overrides, List.copyOf(only), seeds, List.copyOf(operands),
                Map.copyOf(named));
    }

    private static void require(String command, Map<String, String> named, Option... options) throws LaunchException {
        for (Option option : options) {
            if (!named.containsKey(option.name())) {
                throw new LaunchException("fedklpr " + command + ": needs " + option.name() + " " + option.value()
                        + ": " + firstSentence(option.description()) + " (fedklpr " + command + " --help)");
            }
        }
    }

    private static Path existing(String command, Option option, Path file) throws LaunchException {
        if (!Files.isRegularFile(file)) {
            throw new LaunchException("fedklpr " + command + ": " + option.name() + ": " + file + " does not exist");
        }
        return file;
    }

    private static Path folder(String command, Option option, Path folder) throws LaunchException {
        if (!Files.isDirectory(folder)) {
            throw new LaunchException("fedklpr " + command + ": " + option.name() + ": " + folder + " is not a folder");
        }
        return folder;
    }

    private static void address(String command, Option option, String value) throws LaunchException {
        int colon = value.lastIndexOf(':');
        boolean valid = colon > 0;
        if (valid) {
            try {
                int port = Integer.parseInt(value.substring(colon + 1));
                valid = port >= 0 && port <= 65535;
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new LaunchException("fedklpr " + command + ": " + option.name() + " " + value + ": expected HOST:PORT"
                    + " (a port from 0 to 65535)");
        }
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
