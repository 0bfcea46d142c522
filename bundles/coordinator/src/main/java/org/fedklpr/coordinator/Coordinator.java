package org.fedklpr.coordinator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundPlan;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.pruning.Pruner;
import org.fedklpr.api.settings.Settings;
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
import org.osgi.service.metatype.annotations.Option;

/**
 * The coordinator, configured under the PID {@value #PID}. Changing {@code aggregator} or
 * {@code objectives} while an experiment runs (Config Admin, or the Gogo command that uses it)
 * takes effect at the next round; the other settings are read when an experiment starts.
 */
@Component(configurationPid = Coordinator.PID)
@Designate(ocd = Coordinator.Config.class)
public final class Coordinator implements ExperimentRunner {
    static final String PID = "org.fedklpr.coordinator";
    static final String DEFAULT_PRUNING_CONTROLLER = "crr";
    static final String CHECKPOINT_CODEC = "dense";

    @ObjectClassDefinition(name = "FedKLPR coordinator", description = "A federated re-ID experiment")
    @interface Config {
        @AttributeDefinition(description = "Experiment name, for logs")
        String name() default "fedklpr";

        @AttributeDefinition(description = "Federated rounds after the initial evaluation (round 0)", min = "0")
        int rounds() default 10;

        @AttributeDefinition(description = "Fraction of clients selected each round, in (0, 1]", min = "0", max = "1")
        double clientFraction() default 1.0;

        @AttributeDefinition(description = "Updates a round needs to count: at least this many of the selected "
                + "sites must send one that can be aggregated, else the run stops (resumable); 0: half of the "
                + "selected, rounded up", min = "0")
        int minSites() default 0;

        @AttributeDefinition(description = "Aggregator by name (fedavg, fedpav, ...); swappable between rounds")
        String aggregator() default "fedpav";

        @AttributeDefinition(description = "Local objectives by name, summed; swappable between rounds")
        String[] objectives() default {"identity-ce"};

        @AttributeDefinition(description = "Pruner by name, e.g. magnitude (blank: no pruning); swappable between "
                + "rounds")
        String pruner() default "";

        @AttributeDefinition(description = "Update compression by name, e.g. topk (blank: updates travel whole): "
                + "each site sends its update reduced by it and keeps the rest for later rounds (error feedback); "
                + "not with a pruner, which also decides what travels; swappable between rounds")
        String updateCompression() default "";

        @AttributeDefinition(description = "Who chooses the pruning mask: 'site' (each site cuts its own) or "
                + "'coordinator' (one mask for every site: the coordinator prunes the aggregate to the largest ratio "
                + "the sites' controllers asked for, with the same pruner, and every site trains under it, so every "
                + "downlink is sparse); used only when a pruner is set",
                options = {@Option(value = "site"), @Option(value = "coordinator")})
        String pruningMask() default "site";

        @AttributeDefinition(description = "Pruning controller by name (crr); used only when a pruner is set;"
                + " swappable between rounds")
        String pruningController() default DEFAULT_PRUNING_CONTROLLER;

        @AttributeDefinition(description = "Temperature of the softmax over embeddings in the clients' klaw metric",
                min = "0")
        double probeTemperature() default 1.0;

        @AttributeDefinition(description = "Transport by name")
        String transport() default "inprocess";

        @AttributeDefinition(description = "Backbone architecture: tiny-cnn, tiny-cnn-wide, resnet18, resnet34 or "
                + "resnet50")
        String architecture() default "tiny-cnn";

        @AttributeDefinition(description = "Input height in pixels; 0: the architecture's usual size (256x128 for"
                + " the ResNets, 64x32 for tiny-cnn and tiny-cnn-wide)", min = "0")
        int inputHeight() default 0;

        @AttributeDefinition(description = "Input width in pixels; 0 with inputHeight 0: the usual size", min = "0")
        int inputWidth() default 0;

        @AttributeDefinition(description = "Embedding size; equal to the backbone's output (2048 for resnet50, 512"
                + " for resnet18/34) puts the BNNeck directly on the pooled features", min = "1")
        int embeddingDim() default 128;

        @AttributeDefinition(description = "Local .npz file of backbone weights the initial global model starts"
                + " from (e.g. ImageNet ResNet-50 saved from torchvision, see docs/MODELS.md); 'public': the backbone "
                + "pretrained on public data (fedklpr pretrain, made on first use); blank: seeded initialisation")
        String pretrainedWeights() default "";

        @AttributeDefinition(description = "'local': each client has its own identity head (FedPav); 'shared': "
                + "one head over all clients' identities, needed to average whole models (FedAvg)",
                options = {@Option(value = "local"), @Option(value = "shared")})
        String labelSpace() default "local";

        @AttributeDefinition(description = "Local epochs per round", min = "1")
        int localEpochs() default 1;

        @AttributeDefinition(description = "Unsupervised local training: the pseudo-labeller by name (dbscan) with"
                + " which every site groups its training images into pseudo-identities at the start of each local"
                + " epoch, never reading their identity labels (objectives then such as capr, not identity-ce);"
                + " blank: sites train with their identity labels")
        String pseudoLabels() default "";

        @AttributeDefinition(description = "From this round on (1-based), local training runs at learningRate times"
                + " learningRateStepFactor (FedCAPR: 6, a tenth of the rate after five rounds); 0: the same rate in"
                + " every round", min = "0")
        int learningRateStepRound() default 0;

        @AttributeDefinition(description = "What learningRateStepRound multiplies the learning rate by", min = "0")
        double learningRateStepFactor() default 0.1;

        @AttributeDefinition(description = "Batch size", min = "2")
        int batchSize() default 32;

        @AttributeDefinition(description = "0: shuffled batches; K > 0: identity-balanced batches of K images per "
                + "identity (for the triplet loss)", min = "0")
        int instancesPerIdentity() default 0;

        @AttributeDefinition(description = "Probability of random erasing per training image (0.5 in the BNNeck"
                + " baseline; 0: off, as in FedReID)", min = "0", max = "1")
        double randomErasing() default 0;

        @AttributeDefinition(description = "sgd or adam", options = {@Option(value = "sgd"), @Option(value = "adam")})
        String optimizer() default "sgd";

        @AttributeDefinition(description = "Learning rate of backbone and embedding", min = "0")
        double learningRate() default 0.01;

        @AttributeDefinition(description = "The identity head learns this many times faster", min = "0")
        double headLearningRateFactor() default 10;

        @AttributeDefinition(description = "SGD momentum", min = "0", max = "1")
        double momentum() default 0.9;

        @AttributeDefinition(description = "Weight decay", min = "0")
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
    }

    private final NamedServices<Transport> transports = new NamedServices<>("transport");
    private final NamedServices<DatasetGenerator> generators = new NamedServices<>("dataset generator");
    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");
    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");
    private final NamedServices<Pruner> pruners = new NamedServices<>("pruner");
    private final List<RoundListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<Experiment> running = new AtomicReference<>();
    private final BundleContext context;
    private final Settings platformSettings;
    private volatile Config config;

    @Activate
    public Coordinator(Config config, BundleContext context, @Reference Settings settings) {
        this.config = config;
        this.context = context;
        this.platformSettings = settings;
    }

    @Modified
    void modified(Config changed) {
        this.config = changed;
    }

    @Override
    public ExperimentSummary run(Path runDirectory) {
        try {
            return runOnce(runDirectory);
        } finally {
            // Everything the run held is garbage now (runOnce's frame, which held the experiment, is
            // gone). G1 keeps the heap it grew to during a run and gives it back only after a full
            // collection, so a process that runs experiments one after another (compare, the shell)
            // would otherwise start each run from a larger heap: 188 MB after run 1 of a compare,
            // 540 MB after run 7, all of it resident. One collection here (a fraction of a second)
            // shrinks the heap to what is alive (docs/BENCHMARKS.md).
            System.gc();
        }
    }

    private ExperimentSummary runOnce(Path runDirectory) {
        ExperimentSettings settings = settings();
        Experiment.Services services = preflight(settings);
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

    @Override
    public void check() {
        preflight(settings());
    }

    /**
     * Every service the settings name, found here or at the sites (through the transport), before
     * anything is generated, loaded or written.
     */
    private Experiment.Services preflight(ExperimentSettings settings) {
        List<String> problems = new ArrayList<>();
        missing(problems, "transport", settings.transport(), transports);
        missing(problems, "aggregator", settings.aggregator(), aggregators);
        Transport transport = transports.contains(settings.transport()) ? transports.get(settings.transport()) : null;
        // Sites that run elsewhere bring their own data: no world is generated here.
        boolean localData = transport == null || remoteSites(transport).isEmpty();
        if (localData && !settings.generator().isBlank()) {
            missing(problems, "generator", settings.generator(), generators);
        }
        codecs.missing(List.of(CHECKPOINT_CODEC)).forEach(problems::add);
        // Every problem is named at once: each check below runs when what it needs is there.
        DatasetGenerator generator = !localData || settings.generator().isBlank()
                || !generators.contains(settings.generator()) ? null : generators.get(settings.generator());
        if (generator != null && !generator.format().equals(settings.datasetFormat())
                && !"auto".equals(settings.datasetFormat())) {
            problems.add(PID + ":datasetFormat=" + settings.datasetFormat() + ": generator '" + settings.generator()
                    + "' writes the " + generator.format() + " layout");
        }
        if (aggregators.contains(settings.aggregator())) {
            problems.addAll(Experiment.scopeProblems(aggregators.get(settings.aggregator()), settings));
        }
        if (!settings.pruner().isBlank() && !settings.updateCompression().isBlank()) {
            problems.add(PID + ":updateCompression=" + settings.updateCompression() + ": a pruner ('"
                    + settings.pruner() + "') already decides which elements travel; set one of pruner and "
                    + "updateCompression");
        }
        if (settings.pruner().isBlank() && !settings.pruningMask().equals(ExperimentSettings.SITE_MASKS)) {
            problems.add(PID + ":pruningMask=" + settings.pruningMask() + ": pruning is off (pruner is blank), so "
                    + "there is no mask to choose; set a pruner too (e.g. pruner=magnitude), or leave pruningMask out");
        }
        if (settings.coordinatorMask()) {
            // The coordinator cuts the aggregate itself, with the pruner the sites would use.
            missing(problems, "pruner", settings.pruner(), pruners);
        }
        if (settings.pruner().isBlank() && !settings.pruningController().equals(DEFAULT_PRUNING_CONTROLLER)) {
            // Written, but nothing would use it: said rather than ignored.
            problems.add(PID + ":pruningController=" + settings.pruningController() + ": pruning is off (pruner is "
                    + "blank), so no pruning controller runs; set a pruner too (e.g. pruner=magnitude), or leave "
                    + "pruningController out");
        }
        if (transport != null) {
            try {
                transport.check(settings.siteRequirements());
            } catch (FedklprException e) {
                Stream.of(e.getMessage().split("\n")).map(line -> atTheSites(line, settings)).forEach(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new FedklprException(String.join("\n", problems));
        }
        return new Experiment.Services(transport, generator, codecs.get(CHECKPOINT_CODEC), aggregators, pruners,
                () -> List.copyOf(listeners), platformSettings::inEffect, platformSettings::defaults);
    }

    /**
     * A site's problem as the user wrote the setting: {@code objectives: no objective named 'kl'}
     * becomes {@code org.fedklpr.coordinator:objectives=identity-ce,kl: no objective named 'kl' ...
     * (at the sites)}.
     */
    private static final Pattern SETTING_NAMED = Pattern.compile("[\\w.~-]+:\\w+=");

    private static String atTheSites(String line, ExperimentSettings settings) {
        Map<String, String> written = Map.of(SiteRequirements.DATASET_FORMAT, settings.datasetFormat(),
                SiteRequirements.OBJECTIVES, String.join(",", settings.objectives()),
                SiteRequirements.PRUNER, settings.pruner(),
                SiteRequirements.PRUNING_CONTROLLER, settings.pruningController(),
                SiteRequirements.ARCHITECTURE, settings.architecture(),
                SiteRequirements.PRETRAINED_WEIGHTS, settings.pretrainedWeights(),
                SiteRequirements.UPDATE_COMPRESSION, settings.updateCompression(),
                SiteRequirements.PSEUDO_LABELS, settings.pseudoLabels());
        int colon = line.indexOf(": ");
        String key = colon < 0 ? "" : line.substring(0, colon);
        if (written.containsKey(key)) {
            return PID + ":" + key + "=" + written.get(key) + ": " + line.substring(colon + 2) + " (at the sites)";
        }
        // Already named as written (the transport's or a site's own pid:key=value), or said as it came.
        return SETTING_NAMED.matcher(line).lookingAt() ? line : "at the sites: " + line;
    }

    /** The transport's own sites; none when it cannot name them (its check says why). */
    private static List<String> remoteSites(Transport transport) {
        try {
            return transport.sites();
        } catch (FedklprException e) {
            return List.of("?");
        }
    }

    private static <T> void missing(List<String> problems, String key, String name, NamedServices<T> services) {
        services.missing(List.of(name)).forEach(problem -> problems.add(PID + ":" + key + "=" + name + ": " + problem));
    }

    private ExperimentSettings settings() {
        try {
            return ExperimentSettings.of(config);
        } catch (IllegalArgumentException e) {
            throw new FedklprException(PID + ":" + e.getMessage(), e);
        }
    }

    /** What was installed, so that config.json says exactly what ran. */
    private Map<String, Object> provenance() {
        List<String> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            bundles.add(bundle.getSymbolicName() + " " + bundle.getVersion());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("feature", context.getProperty("fedklpr.feature"));
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
    void addGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.add(service, properties);
    }

    void removeGenerator(DatasetGenerator service, Map<String, Object> properties) {
        generators.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPruner(Pruner service, Map<String, Object> properties) {
        pruners.add(service, properties);
    }

    void removePruner(Pruner service, Map<String, Object> properties) {
        pruners.remove(service, properties);
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
