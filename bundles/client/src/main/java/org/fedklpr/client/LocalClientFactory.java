package org.fedklpr.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.compression.UpdateCompression;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.engine.BackbonePretraining;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientFactory;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.pruning.Pruner;
import org.fedklpr.api.pruning.PruningController;
import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Starts clients on this machine ({@code fedklpr.name=local}). Engines, dataset providers,
 * evaluators and objectives are bound dynamically and looked up by name when used, so a bundle that
 * adds one is usable at the next call.
 */
@Component(configurationPid = LocalClientFactory.PID, property = Names.SERVICE_NAME + "=local")
@Designate(ocd = LocalClientFactory.Config.class)
public final class LocalClientFactory implements ClientFactory {
    static final String PID = "org.fedklpr.client";
    /** The site's state files: every value as it is, with a checksum. */
    private static final String STATE_CODEC = "dense";

    @ObjectClassDefinition(name = "FedKLPR local client")
    @interface Config {
        @AttributeDefinition(description = "Name of the learning engine")
        String engine() default "djl";

        @AttributeDefinition(description = "Name of the re-ID evaluator")
        String evaluator() default "market1501";

        @AttributeDefinition(description = "Evaluate on the sum of each image's and its mirror image's embedding"
                + " (flip fusion); re-ranking is not applied")
        boolean flipFusion() default false;

        @AttributeDefinition(description = "Networks the clients started here keep live at once (0: one per client)."
                + " A client without one keeps its identity head, pruning state and residual until it works again,"
                + " and the results are the same as with a network per client. A simulation trains one client at"
                + " a time, so 1 is enough; more save rebuilding networks when clients' heads differ in size",
                min = "0")
        int liveNetworks() default 1;

        @AttributeDefinition(description = "Where a client that gave its network to another keeps its state: in"
                + " memory, or in a file in its state folder (for many clients with large pruning states)",
                options = {@Option(value = "memory"), @Option(value = "disk")})
        String parkedState() default "memory";
    }

    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");
    private final NamedServices<DatasetProvider> providers = new NamedServices<>("dataset format");
    private final NamedServices<ReidEvaluator> evaluators = new NamedServices<>("evaluator");
    private final NamedServices<LocalObjective> objectives = new NamedServices<>("objective");
    private final NamedServices<Pruner> pruners = new NamedServices<>("pruner");
    private final NamedServices<PruningController> controllers = new NamedServices<>("pruning controller");
    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final NamedServices<UpdateCompression> compressions = new NamedServices<>("update compression");
    private volatile Config config;
    /** The live networks of every client this factory started. */
    private final NetworkPool pool;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BackbonePretraining pretraining;

    /** Pseudo-labellers, for unsupervised training. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, PseudoLabeller>> labellers = List.of();

    /** Told how the clients' local training advances (the console's progress line). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<RoundListener> listeners = List.of();

    private static final String NO_PRETRAINING = "'public' names the backbone pretrained on public data, but this "
            + "runtime has no pretraining bundle (org.fedklpr:pretrain); add it to the feature, or give a .npz file "
            + "made by fedklpr pretrain";
    private static final Logger LOG = Logger.getLogger(LocalClientFactory.class.getName());

    @Activate
    public LocalClientFactory(Config config) {
        this.config = config;
        this.pool = new NetworkPool(config.liveNetworks());
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
        pool.setCapacity(changed.liveNetworks());
    }

    @Override
    public FederatedClient create(ClientDescriptor descriptor) {
        Config current = config;
        ReidDataset dataset;
        try {
            dataset = providers.await(descriptor.datasetFormat()).load(descriptor.dataset());
        } catch (FedklprException e) {
            throw new FedklprException("client " + descriptor.id() + ": " + e.getMessage(), e);
        }
        return new LocalClient(descriptor, dataset, engines.await(current.engine()),
                evaluators.await(current.evaluator()), current.flipFusion(), objectives, pruners, controllers,
                compressions, name -> NamedServices.of("pseudo-labeller", labellers).get(name),
                new SiteStateStore(descriptor.state(), codecs.await(STATE_CODEC)), this::withPretrainedFile,
                pool, "disk".equals(current.parkedState()), () -> listeners);
    }

    /** The spec with {@code pretrainedWeights=public} replaced by the pretraining service's file. */
    private NetworkSpec withPretrainedFile(NetworkSpec spec) {
        if (!BackbonePretraining.PUBLIC.equals(spec.pretrainedWeights())) {
            return spec;
        }
        BackbonePretraining service = pretraining;
        if (service == null) {
            throw new FedklprException(SiteRequirements.PRETRAINED_WEIGHTS + "=" + BackbonePretraining.PUBLIC + ": "
                    + NO_PRETRAINING);
        }
        return spec.withPretrainedWeights(service.backboneFor(spec, LOG::info).toString());
    }

    @Override
    public void check(SiteRequirements requirements) {
        Config current = config;
        List<String> problems = new ArrayList<>();
        missing(problems, PID + ":engine=" + current.engine(), engines, List.of(current.engine()));
        missing(problems, PID + ":evaluator=" + current.evaluator(), evaluators, List.of(current.evaluator()));
        missing(problems, "the site's state files", codecs, List.of(STATE_CODEC));
        missing(problems, SiteRequirements.DATASET_FORMAT, providers, List.of(requirements.datasetFormat()));
        missing(problems, SiteRequirements.OBJECTIVES, objectives, requirements.objectives());
        if (requirements.pruning().enabled()) {
            missing(problems, SiteRequirements.PRUNER, pruners, List.of(requirements.pruning().pruner()));
            missing(problems, SiteRequirements.PRUNING_CONTROLLER, controllers,
                    List.of(requirements.pruning().controller()));
        }
        if (!requirements.updateCompression().isBlank()) {
            missing(problems, SiteRequirements.UPDATE_COMPRESSION, compressions,
                    List.of(requirements.updateCompression()));
        }
        if (!requirements.pseudoLabeller().isBlank()) {
            missing(problems, SiteRequirements.PSEUDO_LABELS, NamedServices.of("pseudo-labeller", labellers),
                    List.of(requirements.pseudoLabeller()));
        }
        if (engines.contains(current.engine())
                && !engines.get(current.engine()).architectures().contains(requirements.architecture())) {
            problems.add(SiteRequirements.ARCHITECTURE + ": engine " + current.engine() + " builds "
                    + String.join(", ", engines.get(current.engine()).architectures()));
        }
        if (BackbonePretraining.PUBLIC.equals(requirements.pretrainedWeights())) {
            if (pretraining == null) {
                problems.add(SiteRequirements.PRETRAINED_WEIGHTS + ": " + NO_PRETRAINING);
            }
        } else if (!requirements.pretrainedWeights().isBlank() && !Files.isRegularFile(Path.of(requirements
                .pretrainedWeights()))) {
            problems.add(SiteRequirements.PRETRAINED_WEIGHTS + ": no such file ("
                    + Path.of(requirements.pretrainedWeights()).toAbsolutePath() + ")");
        }
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
        }
    }

    /** One line per missing name, led by what named it (see {@link SiteRequirements}). */
    private static <T> void missing(List<String> problems, String namedBy, NamedServices<T> services,
            List<String> names) {
        services.missing(names).forEach(problem -> problems.add(namedBy + ": " + problem));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCompression(UpdateCompression service, Map<String, Object> properties) {
        compressions.add(service, properties);
    }

    void removeCompression(UpdateCompression service, Map<String, Object> properties) {
        compressions.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(LearningEngine engine, Map<String, Object> properties) {
        engines.add(engine, properties);
    }

    void removeEngine(LearningEngine engine, Map<String, Object> properties) {
        engines.remove(engine, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(DatasetProvider provider, Map<String, Object> properties) {
        providers.add(provider, properties);
    }

    void removeProvider(DatasetProvider provider, Map<String, Object> properties) {
        providers.remove(provider, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEvaluator(ReidEvaluator evaluator, Map<String, Object> properties) {
        evaluators.add(evaluator, properties);
    }

    void removeEvaluator(ReidEvaluator evaluator, Map<String, Object> properties) {
        evaluators.remove(evaluator, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addObjective(LocalObjective objective, Map<String, Object> properties) {
        objectives.add(objective, properties);
    }

    void removeObjective(LocalObjective objective, Map<String, Object> properties) {
        objectives.remove(objective, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPruner(Pruner pruner, Map<String, Object> properties) {
        pruners.add(pruner, properties);
    }

    void removePruner(Pruner pruner, Map<String, Object> properties) {
        pruners.remove(pruner, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addController(PruningController controller, Map<String, Object> properties) {
        controllers.add(controller, properties);
    }

    void removeController(PruningController controller, Map<String, Object> properties) {
        controllers.remove(controller, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.add(codec, properties);
    }

    void removeCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.remove(codec, properties);
    }
}
