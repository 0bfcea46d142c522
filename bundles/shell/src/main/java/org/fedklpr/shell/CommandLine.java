package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.Aggregator;
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
 * {@code compare <folder> <plan json> <names, comma-separated, or *> <seeds> <first seed>}, or
 * {@code bench}. Returns the process exit code:
 * 0 done, 2 a user-fixable error (printed as one line), 1 anything else.
 */
@Component(service = Function.class, property = CommandLine.MAIN_PROPERTY + "=true")
public final class CommandLine implements Function<String[], Integer> {
    static final String MAIN_PROPERTY = "fedklpr.main";

    private final ExperimentRunner runner;
    private final ConfigurationAdmin configurationAdmin;
    private final BundleContext context;
    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");

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
        boolean compare = arguments.length == 6 && "compare".equals(arguments[0]);
        boolean bench = arguments.length == 1 && "bench".equals(arguments[0]);
        if (!experiment && !compare && !bench) {
            System.err.println("fedklpr: the runtime expects 'experiment <run directory>', "
                    + "'compare <folder> <plan> <names|*> <seeds> <first seed>' or 'bench'");
            return 2;
        }
        try {
            if (bench) {
                System.out.print(AggregationBench.run(aggregators));
                return 0;
            }
            if (compare) {
                Set<String> only = "*".equals(arguments[3]) ? Set.of() : Set.of(arguments[3].split(","));
                String report = new Comparison(runner, new ConfigurationSwitch(configurationAdmin, context))
                        .run(Path.of(arguments[1]), ComparisonPlan.parse(arguments[2]), only,
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.add(service, properties);
    }

    void removeAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.remove(service, properties);
    }
}
