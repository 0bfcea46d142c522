package org.fedklpr.coordinator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundPlan;
import org.fedklpr.api.transport.Transport;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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

/**
 * The coordinator, configured under the PID {@value #PID}. Changing {@code aggregator} or
 * {@code objectives} while an experiment runs (Config Admin, or the Gogo command that uses it)
 * takes effect at the next round; the other settings are read when an experiment starts.
 */
@Component(configurationPid = Coordinator.PID)
@Designate(ocd = Coordinator.Config.class)
public final class Coordinator implements ExperimentRunner {
    static final String PID = "org.fedklpr.coordinator";
    private static final String CHECKPOINT_CODEC = "dense";

    @ObjectClassDefinition(name = "FedKLPR coordinator", description = "A federated re-ID experiment")
    @interface Config {
        @AttributeDefinition(description = "Experiment name, for logs")
        String name() default "fedklpr";

        @AttributeDefinition(description = "Federated rounds after the initial evaluation (round 0)")
        int rounds() default 10;

        @AttributeDefinition(description = "Fraction of clients selected each round, in (0, 1]")
        double clientFraction() default 1.0;

        @AttributeDefinition(description = "Aggregator by name (fedavg, fedpav, ...); swappable between rounds")
        String aggregator() default "fedpav";

        @AttributeDefinition(description = "Local objectives by name, summed; swappable between rounds")
        String[] objectives() default {"identity-ce"};

        @AttributeDefinition(description = "Pruner by name, e.g. magnitude (blank: no pruning); swappable between "
                + "rounds")
        String pruner() default "";

        @AttributeDefinition(description = "Pruning controller by name (crr); swappable between rounds")
        String pruningController() default "crr";

        @AttributeDefinition(description = "Temperature of the softmax over embeddings in the clients' klaw metric")
        double probeTemperature() default 1.0;

        @AttributeDefinition(description = "Transport by name")
        String transport() default "inprocess";

        @AttributeDefinition(description = "Learning engine by name (builds the initial global model)")
        String engine() default "djl";

        @AttributeDefinition(description = "Backbone architecture: tiny-cnn, tiny-cnn-wide, resnet18, resnet34 or "
                + "resnet50")
        String architecture() default "tiny-cnn";

        @AttributeDefinition(description = "Input height in pixels; 0: the architecture's usual size (256x128 for"
                + " the ResNets, 64x32 for tiny-cnn and tiny-cnn-wide)")
        int inputHeight() default 0;

        @AttributeDefinition(description = "Input width in pixels; 0 with inputHeight 0: the usual size")
        int inputWidth() default 0;

        @AttributeDefinition(description = "Embedding size; equal to the backbone's output (2048 for resnet50, 512"
                + " for resnet18/34) puts the BNNeck directly on the pooled features")
        int embeddingDim() default 128;

        @AttributeDefinition(description = "Local .npz file of backbone weights the initial global model starts"
                + " from (e.g. ImageNet ResNet-50 saved from torchvision, see docs/MODELS.md); blank: seeded"
                + " initialisation")
        String pretrainedWeights() default "";

        @AttributeDefinition(description = "'local': each client has its own identity head (FedPav); 'shared': "
                + "one head over all clients' identities, needed to average whole models (FedAvg)")
        String labelSpace() default "local";

        @AttributeDefinition(description = "Local epochs per round")
        int localEpochs() default 1;

        @AttributeDefinition(description = "Batch size")
        int batchSize() default 32;

        @AttributeDefinition(description = "0: shuffled batches; K > 0: identity-balanced batches of K images per "
                + "identity (for the triplet loss)")
        int instancesPerIdentity() default 0;

        @AttributeDefinition(description = "Probability of random erasing per training image (0.5 in the BNNeck"
                + " baseline; 0: off, as in FedReID)")
        double randomErasing() default 0;

        @AttributeDefinition(description = "sgd or adam")
        String optimizer() default "sgd";

        @AttributeDefinition(description = "Learning rate of backbone and embedding")
        double learningRate() default 0.01;

        @AttributeDefinition(description = "The identity head learns this many times faster")
        double headLearningRateFactor() default 10;

        @AttributeDefinition(description = "SGD momentum")
        double momentum() default 0.9;

        @AttributeDefinition(description = "Weight decay")
        double weightDecay() default 5e-4;

        @AttributeDefinition(description = "Seed of data generation, initialisation, selection and shuffling")
        long seed() default 1;

        @AttributeDefinition(description = "Folder with one dataset folder per client (written first if a "
                + "generator is named)")
        String dataRoot() default "data/synthetic";

        @AttributeDefinition(description = "Dataset generator by name (blank: use dataRoot as it is)")
        String generator() default "synthetic";

        @AttributeDefinition(description = "Dataset layout of the client folders: market1501, msmt17, fedreid, or"
                + " auto (each folder read with the layout that recognises it)")
        String datasetFormat() default "market1501";

        @AttributeDefinition(description = "The feature file that assembled this runtime (recorded in config.json)")
        String feature() default "";
    }

    private final NamedServices<Transport> transports = new NamedServices<>("transport");
    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");
    private final NamedServices<DatasetGenerator> generators = new NamedServices<>("dataset generator");
    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");
    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final List<RoundListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Experiment> running = new AtomicReference<>();
    private final BundleContext context;
    private volatile Config config;

    @Activate
    public Coordinator(Config config, BundleContext context) {
        this.config = config;
        this.context = context;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public ExperimentSummary run(Path runDirectory) {
        ExperimentSettings settings = settings();
        Experiment.Services services = new Experiment.Services(
                transports.await(settings.transport()),
                engines.await(settings.engine()),
                settings.generator().isBlank() ? null : generators.await(settings.generator()),
                codecs.await(CHECKPOINT_CODEC),
                aggregators, () -> List.copyOf(listeners));
        aggregators.await(settings.aggregator());
        Experiment experiment = new Experiment(settings, this::settings, services, runDirectory, provenance());
        if (!running.compareAndSet(null, experiment)) {
            throw new IllegalStateException("an experiment is already running");
        }
        try {
            return experiment.run();
        } finally {
            running.set(null);
        }
    }

    private ExperimentSettings settings() {
        try {
            return ExperimentSettings.of(config);
        } catch (IllegalArgumentException e) {
            throw new FedklprException("coordinator configuration " + PID + ": " + e.getMessage(), e);
        }
    }

    /** What was installed, so that config.json says exactly what ran. */
    private Map<String, Object> provenance() {
        List<String> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            bundles.add(bundle.getSymbolicName() + " " + bundle.getVersion());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("bundles", bundles);
        provenance.put("java", System.getProperty("java.version"));
        return provenance;
    }

    @Override
    public Optional<RoundPlan> currentRound() {
        Experiment experiment = running.get();
        return experiment == null ? Optional.empty() : experiment.currentPlan();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport service, Map<String, Object> properties) {
        transports.add(service, properties);
    }

    void removeTransport(Transport service, Map<String, Object> properties) {
        transports.remove(service, properties);
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
    void addGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.add(service, properties);
    }

    void removeGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.remove(service, properties);
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
    void addCodec(WireCodec service, Map<String, Object> properties) {
        codecs.add(service, properties);
    }

    void removeCodec(WireCodec service, Map<String, Object> properties) {
        codecs.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListener(RoundListener listener) {
        listeners.add(listener);
    }

    void removeListener(RoundListener listener) {
        listeners.remove(listener);
    }
}
