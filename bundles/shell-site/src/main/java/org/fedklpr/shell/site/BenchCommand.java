package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.Names;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.eval.DotProducts;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code fedklpr bench [aggregation|evaluation|training|pseudo-labels|simulation|growth|all]}: times
 * the aggregators on ResNet-50-sized updates, the evaluator at Market-1501 scale, local training of
 * the ResNets and pseudo-labelling, measures the memory of many simulated clients against one and
 * the memory of a long run and of consecutive runs, and prints a table for each.
 */
@Component(property = Names.SERVICE_NAME + "=bench")
public final class BenchCommand implements PlatformCommand {
    private static final String EVALUATOR = "market1501";
    private static final String ENGINE = "djl";
    private static final String CROSS_ENTROPY = "identity-ce";
    private static final String INT8 = "int8";
    private static final String PSEUDO_LABELS = "dbscan";

    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");
    private final NamedServices<ReidEvaluator> evaluators = new NamedServices<>("evaluator");
    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");
    private final NamedServices<LocalObjective> objectives = new NamedServices<>("local objective");
    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final NamedServices<DotProducts> blas = new NamedServices<>("dot-product kernel");

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, PseudoLabeller>> labellers = List.of();

    @Override
    public int run(List<String> arguments) {
        String section = arguments.isEmpty() ? "all" : arguments.get(0);
        boolean all = section.equals("all");
        BenchRatios ratios = new BenchRatios();
        if (all || section.equals("aggregation")) {
            System.out.println(AggregationBench.run(aggregators));
        }
        if (all || section.equals("evaluation")) {
            System.out.println(EvaluationBench.run(evaluators.await(EVALUATOR),
                    blas.contains(ENGINE) ? blas.get(ENGINE) : null, ratios));
        }
        if (all || section.equals("training")) {
            Path home = Path.of(System.getProperty("fedklpr.home", "."));
            System.out.println(TrainingBench.run(engines.await(ENGINE), objectives.await(CROSS_ENTROPY),
                    codecs.await(INT8), home, ratios));
        }
        if (all || section.equals("pseudo-labels")) {
            NamedServices<PseudoLabeller> offered = NamedServices.of("pseudo-labeller", labellers);
            System.out.println(offered.contains(PSEUDO_LABELS) ? PseudoLabelBench.run(offered.get(PSEUDO_LABELS))
                    : "This runtime has no pseudo-labeller (bundle org.fedklpr:pseudo-labels): nothing to time.\n");
        }
        if (all || section.equals("simulation")) {
            System.out.println(SimulationBench.run(Path.of(System.getProperty("fedklpr.home", ".")), ratios));
        }
        if (all || section.equals("growth")) {
            System.out.println(GrowthBench.run(Path.of(System.getProperty("fedklpr.home", ".")), ratios));
        }
        if (!ratios.isEmpty()) {
            System.out.println(ratios.table());
        }
        return 0;
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
    void addKernel(DotProducts service, Map<String, Object> properties) {
        blas.add(service, properties);
    }

    void removeKernel(DotProducts service, Map<String, Object> properties) {
        blas.remove(service, properties);
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
    void addCodec(WireCodec service, Map<String, Object> properties) {
        codecs.add(service, properties);
    }

    void removeCodec(WireCodec service, Map<String, Object> properties) {
        codecs.remove(service, properties);
    }
}
