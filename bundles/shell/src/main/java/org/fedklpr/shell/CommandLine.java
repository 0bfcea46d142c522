package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.RunFailedException;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.named.NamedServices;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The entry point the launcher calls once the runtime is up. It is registered as a JDK
 * {@link Function} (with {@value #MAIN_PROPERTY}) so that the launcher, outside the framework,
 * shares no class with it but the JDK's. Arguments: {@code experiment <run directory>},
 * {@code compare <folder> <plan json> <names, comma-separated, or *> <seeds>} followed by
 * the command line's {@code pid:key=value} settings (already in the runtime's configuration; named
 * so that they win over the plan's),
 * {@code evaluate <query csv> <gallery csv>} or {@code settings <pid or empty>}; any other command is
 * run by the {@link PlatformCommand} of that name that a bundle of the runtime contributes (the
 * site tools' {@code bench} and {@code datasets-inspect}, for instance). Returns the process exit
 * code: 0 done, 2 a user-fixable error (each problem on its own line), 3 a run that started and
 * failed. Any other exception is a bug and reaches the launcher, which writes its stack trace to a
 * file.
 */
@Component(service = Function.class, property = CommandLine.MAIN_PROPERTY + "=true")
public final class CommandLine implements Function<String[], Integer> {
    static final String MAIN_PROPERTY = "fedklpr.main";

    /** Absent in a runtime without a coordinator (a site's): experiment and compare then say so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ExperimentRunner runner;
    private final ConfigurationAdmin configurationAdmin;
    private final Settings settings;
    private final BundleContext context;
    private static final String EVALUATOR = "market1501";

    private final NamedServices<ReidEvaluator> evaluators = new NamedServices<>("evaluator");
    private final NamedServices<PlatformCommand> commands = new NamedServices<>("command");

    @Activate
    public CommandLine(@Reference ConfigurationAdmin configurationAdmin, @Reference Settings settings,
            BundleContext context) {
        this.configurationAdmin = configurationAdmin;
        this.settings = settings;
        this.context = context;
    }

    @Override
    public Integer apply(String[] arguments) {
        String command = arguments.length == 0 ? "" : arguments[0];
        boolean known = switch (command) {
            case "experiment", "settings" -> arguments.length == 2;
            case "evaluate" -> arguments.length == 3;
            case "compare" -> arguments.length >= 5;
            default -> !command.isEmpty();
        };
        if (!known) {
            // The launcher's contract with this bundle, not the user's: a mismatch is a bug.
            throw new IllegalArgumentException("the runtime expects 'experiment <run directory>', "
                    + "'compare <folder> <plan> <names|*> <seeds> [<pid>:<key>=<value> ...]', "
                    + "'evaluate <query csv> <gallery csv>', 'settings <pid|>' or a contributed command, got "
                    + List.of(arguments));
        }
        try {
            switch (command) {
                case "evaluate" -> System.out.println(EvaluateCommand.run(evaluators.await(EVALUATOR),
                        Path.of(arguments[1]), Path.of(arguments[2])));
                case "settings" -> System.out.print(settings.describe(arguments[1]));
                case "compare" -> {
                    Set<String> only = "*".equals(arguments[3]) ? Set.of() : new LinkedHashSet<>(List.of(arguments[3]
                            .split(",")));
                    String report = new Comparison(runner(), settings, new ConfigurationSwitch(configurationAdmin,
                            context)).run(Path.of(arguments[1]), ComparisonPlan.parse(arguments[2], settings)
                                    .overriddenBy(List.of(arguments).subList(5, arguments.length)), only,
                                    Integer.parseInt(arguments[4]));
                    System.out.printf("%n%s%nWritten to %s%n", report, arguments[1]);
                }
                case "experiment" -> System.out.print(RoundTable.summary(runner().run(Path.of(arguments[1]))));
                default -> {
                    return commands.await(command).run(List.of(arguments).subList(1, arguments.length));
                }
            }
            return 0;
        } catch (RunFailedException e) {
            for (String line : e.getMessage().split("\n")) {
                System.err.println("fedklpr: the run failed: " + line);
            }
            return 3;
        } catch (FedklprException e) {
            for (String line : e.getMessage().split("\n")) {
                System.err.println("fedklpr: error: " + line);
            }
            return 2;
        }
    }

    private ExperimentRunner runner() {
        ExperimentRunner current = runner;
        if (current == null) {
            throw new FedklprException("this runtime has no coordinator bundle, so it runs no experiment (a site's "
                    + "runtime: use fedklpr site)");
        }
        return current;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEvaluator(ReidEvaluator service, Map<String, Object> properties) {
        evaluators.add(service, properties);
    }

    void removeEvaluator(ReidEvaluator service, Map<String, Object> properties) {
        evaluators.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommand(PlatformCommand service, Map<String, Object> properties) {
        commands.add(service, properties);
    }

    void removeCommand(PlatformCommand service, Map<String, Object> properties) {
        commands.remove(service, properties);
    }
}
