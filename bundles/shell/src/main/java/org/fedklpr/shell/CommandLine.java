package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
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
 * {@code compare <folder> <plan json> <names, comma-separated, or *> <seeds> <first seed>} followed by
 * the command line's {@code pid:key=value} settings (already in the runtime's configuration; named
 * so that they win over the plan's),
 * {@code evaluate <query csv> <gallery csv>}, {@code datasets-inspect <folder>}, or
 * {@code bench <aggregation|evaluation|training|all>}. Returns the process exit code:
 * 0 done, 2 a user-fixable error (printed as one line), 1 anything else.
 */
@Component(service = Function.class, property = CommandLine.MAIN_PROPERTY + "=true")
public final class CommandLine implements Function<String[], Integer> {
    static final String MAIN_PROPERTY = "fedklpr.main";

    private final ExperimentRunner runner;
    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private static final String EVALUATOR = "market1501";
    /** The format that detects the others (data-formats bundle). */
    private static final String AUTO_FORMAT = "auto";
    private static final String ENGINE = "djl";
    private static final String CROSS_ENTROPY = "identity-ce";

    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");
    private final NamedServices<ReidEvaluator> evaluators = new NamedServices<>("evaluator");
    private final NamedServices<DatasetProvider> providers = new NamedServices<>("dataset format");
    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");
    private final NamedServices<LocalObjective> objectives = new NamedServices<>("local objective");

    @Activate
    public CommandLine(@Reference ExperimentRunner runner, @Reference ConfigurationAdmin configurationAdmin,
            BundleContext context) {
        this.runner = runner;
        this.configurationAdmin = configurationAdmin;
        this.context = context;
    }

    @Override
    public Integer apply(String[] arguments) {
        boolean experiment = arguments.length == 2 && "experiment".equals(arguments[0]);
        boolean compare = arguments.length >= 6 && "compare".equals(arguments[0]);
        boolean bench = arguments.length == 2 && "bench".equals(arguments[0]);
        boolean evaluate = arguments.length == 3 && "evaluate".equals(arguments[0]);
        boolean inspect = arguments.length == 2 && "datasets-inspect".equals(arguments[0]);
        if (!experiment && !compare && !bench && !evaluate && !inspect) {
            System.err.println("fedklpr: the runtime expects 'experiment <run directory>', "
                    + "'compare <folder> <plan> <names|*> <seeds> <first seed> [<pid>:<key>=<value> ...]', "
                    + "'evaluate <query csv> <gallery csv>', 'datasets-inspect <folder>' or "
                    + "'bench <aggregation|evaluation|training|all>'");
            return 2;
        }
        try {
            if (bench) {
                return bench(arguments[1]);
            }
            if (inspect) {
                System.out.println(DatasetInspection.run(providers.await(AUTO_FORMAT), Path.of(arguments[1])));
                return 0;
            }
            if (evaluate) {
                System.out.println(EvaluateCommand.run(evaluators.await(EVALUATOR), Path.of(arguments[1]),
                        Path.of(arguments[2])));
                return 0;
            }
            if (compare) {
                Set<String> only = "*".equals(arguments[3]) ? Set.of() : Set.of(arguments[3].split(","));
                String report = new Comparison(runner, new ConfigurationSwitch(configurationAdmin, context))
                        .run(Path.of(arguments[1]), ComparisonPlan.parse(arguments[2])
                                .overriddenBy(List.of(arguments).subList(6, arguments.length)), only,
                                Integer.parseInt(arguments[4]), Long.parseLong(arguments[5]));
                System.out.printf("%n%s%nWritten to %s%n", report, arguments[1]);
                return 0;
            }
            ExperimentSummary summary = runner.run(Path.of(arguments[1]));
            System.out.print(RoundTable.summary(summary));
            return 0;
        } catch (FedklprException e) {
            System.err.println("fedklpr: error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("fedklpr: internal error: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private int bench(String section) {
        List<String> sections = List.of("aggregation", "evaluation", "training");
        if (!section.equals("all") && !sections.contains(section)) {
            System.err.println("fedklpr: bench sections are " + String.join(", ", sections) + " and all; got '"
                    + section + "'");
            return 2;
        }
        boolean all = section.equals("all");
        if (all || section.equals("aggregation")) {
            System.out.println(AggregationBench.run(aggregators));
        }
        if (all || section.equals("evaluation")) {
            System.out.println(EvaluationBench.run(evaluators.await(EVALUATOR)));
        }
        if (all || section.equals("training")) {
            Path home = Path.of(System.getProperty("fedklpr.home", "."));
            System.out.println(TrainingBench.run(engines.await(ENGINE), objectives.await(CROSS_ENTROPY), home));
        }
        return 0;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(LearningEngine service, Map<String, Object> properties) {
        engines.add(service, properties);
    }

    void removeEngine(LearningEngine service, Map<String, Object> properties) {
        engines.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addObjective(LocalObjective service, Map<String, Object> properties) {
        objectives.add(service, properties);
    }

    void removeObjective(LocalObjective service, Map<String, Object> properties) {
        objectives.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.add(service, properties);
    }

    void removeAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.remove(service, properties);
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
    void addProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.add(service, properties);
    }

    void removeProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.remove(service, properties);
    }
}
