package org.fedklpr.client;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.compression.UpdateCompression;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteMetrics;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.pruning.Pruner;
import org.fedklpr.api.pruning.PruningController;
import org.fedklpr.api.pruning.PruningDecision;
import org.fedklpr.api.pseudolabel.PseudoLabeller;
import org.fedklpr.named.NamedServices;

/**
 * One site. Its images are decoded once at {@link #prepare} and stay here; what leaves is weights,
 * counts and scores. Between rounds it keeps its identity head, its pruning state and the residual
 * of update compression. Its network comes from a {@link NetworkPool}: the client keeps it between
 * calls unless another client needs it, and then parks its head (in memory, or with everything
 * else it keeps in a file when {@code parkOnDisk}) and gets it back into whichever network it is
 * given next. Every call writes the global model over the backbone before using it, so the head
 * and the mask in force are all a network carries from one call to the next.
 */
final class LocalClient implements FederatedClient, NetworkPool.Tenant {
    private static final System.Logger LOG = System.getLogger(LocalClient.class.getName());
    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;
    private static final int SKIPPED_FILES_SHOWN = 5;
    private static final int PROBE_SIZE = 32;

    private final ClientDescriptor descriptor;
    private final ReidDataset dataset;
    private final LearningEngine engine;
    private final ReidEvaluator evaluator;
    /** Evaluate on the sum of each image's and its mirror image's embedding. */
    private final boolean flipFusion;
    private final NamedServices<LocalObjective> objectives;
    private final NamedServices<Pruner> pruners;
    private final NamedServices<PruningController> controllers;
    private final SiteStateStore stateStore;
    private final NamedServices<UpdateCompression> compressions;
    /** Pseudo-labellers by name, for unsupervised training. */
    private final Function<String, PseudoLabeller> labellers;
    /**
     * What update compression left out of earlier updates (error feedback), by tensor; empty when
     * none is in use. Part of the site's saved state.
     */
    private ModelState residual = ModelState.empty();
    /** Turns a named pretrained backbone ({@code public}) into its file. */
    private final UnaryOperator<NetworkSpec> pretrainedWeights;
    private final List<SkippedFile> skipped = new ArrayList<>();
    private final NetworkPool pool;
    /** Whether a parked client keeps its state in a file (and nothing in memory) rather than in memory. */
    private final boolean parkOnDisk;
    /** Held through every call, so that the pool never takes the network of a client that is working. */
    private final ReentrantLock lock = new ReentrantLock();

    /** The network the client asked for at {@link #prepare}, {@code null} before. */
    private NetworkSpec requested;
    /** What the engine built from it, the input size filled in; {@code null} before. */
    private NetworkSpec built;
    /** The number of values of each backbone tensor, for the masks in the saved state. */
    private Map<String, Integer> backboneSizes;
    /** True while another client may be using the network this client had. */
    private boolean parked;
    /**
     * On disk: the parked file holds the client's state as it is now (nothing trained since it was
     * written or read), so that parking again writes nothing and a checkpoint copies the file.
     */
    private boolean parkedFileCurrent;
    /** A client parked in memory: its head. */
    private ModelState parkedHead;
    private ImageSet train;
    /**
     * The identity labels of the training images, read from them the first time a task trains with
     * labels: an unsupervised site never reads them.
     */
    private int[] labels;
    private int labelOffset;
    private ImageSet query;
    private ImageSet gallery;
    /** A fixed slice of the training images on which the client measures itself every round. */
    private ImageSet probe;
    /** The probe images' indices among the training images. */
    private int[] probeIndices;
    private PruningState pruning = PruningState.NONE;
    /** Told how local training advances. */
    private final Supplier<List<RoundListener>> listeners;

    LocalClient(ClientDescriptor descriptor, ReidDataset dataset, LearningEngine engine, ReidEvaluator evaluator,
            boolean flipFusion, NamedServices<LocalObjective> objectives, NamedServices<Pruner> pruners,
            NamedServices<PruningController> controllers, NamedServices<UpdateCompression> compressions,
            Function<String, PseudoLabeller> labellers, SiteStateStore stateStore, UnaryOperator<NetworkSpec> pretrainedWeights, NetworkPool pool,
            boolean parkOnDisk, Supplier<List<RoundListener>> listeners) {
        this.descriptor = descriptor;
        this.listeners = listeners;
        this.pool = pool;
        this.parkOnDisk = parkOnDisk;
        this.compressions = compressions;
        this.labellers = labellers;
        this.pretrainedWeights = pretrainedWeights;
        this.dataset = dataset;
        this.engine = engine;
        this.evaluator = evaluator;
        this.flipFusion = flipFusion;
        this.objectives = objectives;
        this.pruners = pruners;
        this.controllers = controllers;
        this.stateStore = stateStore;
        skipped.addAll(dataset.skipped());
        pool.join(this);
    }

    @Override
    public ClientInfo info() {
        int trainImages = train == null ? dataset.train().size() : train.size();
        int queryImages = query == null ? dataset.query().size() : query.size();
        int galleryImages = gallery == null ? dataset.gallery().size() : gallery.size();
        return new ClientInfo(descriptor.id(), dataset.name(), trainImages, dataset.trainIdentities(), queryImages,
                galleryImages, skipped.size(), built == null ? 0 : built.inputHeight(),
                built == null ? 0 : built.inputWidth());
    }

    @Override
    public void prepare(NetworkSpec spec, int labelOffset) {
        locked(() -> {
            prepareHolding(spec, labelOffset);
            return null;
        });
    }

    private void prepareHolding(NetworkSpec spec, int labelOffset) {
        // Every round writes the global model over the backbone, so pretrained weights would only be
        // read to be overwritten: they matter to the initial model alone.
        requested = spec.withPretrainedWeights("");
        if (parkOnDisk) {
            stateStore.deleteParked();
        }
        parked = false;
        parkedFileCurrent = false;
        parkedHead = null;
        ReidNetwork network = pool.acquire(this, engine, requested, () -> engine.create(requested));
        // The head a newly built network has: the pool may have lent one that another client used.
        network.constrain(null);
        network.write(pool.initialHead(engine, requested));
        backboneSizes = new LinkedHashMap<>();
        network.read(TensorScope.BACKBONE).tensors().forEach((name, tensor) -> backboneSizes.put(name, tensor.size()));
        // The engine fills in the architecture's usual input size when the spec leaves it open.
        built = network.spec();
        train = decode(dataset.train(), built, "training");
        query = decode(dataset.query(), built, "query");
        gallery = decode(dataset.gallery(), built, "gallery");
        this.labelOffset = labelOffset;
        labels = null;
        int onDisk = train.size() - train.keptInMemory() + query.size() - query.keptInMemory()
                + gallery.size() - gallery.keptInMemory();
        if (onDisk > 0) {
            LOG.log(Level.INFO, () -> "client " + descriptor.id() + ": " + onDisk + " decoded images do not fit in"
                    + " memory and are decoded again on each use");
        }
        chooseProbe();
        if (!skipped.isEmpty()) {
            LOG.log(Level.WARNING, () -> "client " + descriptor.id() + " skipped " + skipped.size() + " files of "
                    + descriptor.dataset() + ", first: " + skipped.subList(0, Math.min(SKIPPED_FILES_SHOWN,
                            skipped.size())));
        }
    }

    private ImageSet decode(List<ReidImage> images, NetworkSpec spec, String split) {
        ImageSet decoded = engine.decode(images, spec.inputHeight(), spec.inputWidth());
        skipped.addAll(decoded.skipped());
        if (decoded.size() == 0) {
            throw new FedklprException("client " + descriptor.id() + ": none of the " + images.size() + " " + split
                    + " images of " + descriptor.dataset() + " could be decoded (first problem: "
                    + (decoded.skipped().isEmpty() ? "no images" : decoded.skipped().get(0)) + ")");
        }
        return decoded;
    }

    /** Every n-th training image, {@value #PROBE_SIZE} at most: the same probe batch every round. */
    private void chooseProbe() {
        int count = Math.min(PROBE_SIZE, train.size());
        probeIndices = new int[count];
        for (int j = 0; j < count; j++) {
            probeIndices[j] = (int) ((long) j * train.size() / count);
        }
        probe = train.subset(probeIndices);
    }

    /** The training images' identity labels, read from the images when first asked for. */
    private int[] labels() {
        if (labels == null) {
            labels = labelsOf(train, labelOffset);
        }
        return labels;
    }

    /** Identity labels: the client's person ids in increasing order become classes 0, 1, 2, ... */
    private int[] labelsOf(ImageSet images, int offset) {
        TreeSet<Integer> persons = new TreeSet<>();
        for (ReidImage image : images.images()) {
            persons.add(image.personId());
        }
        Map<Integer, Integer> classOf = new HashMap<>();
        for (int person : persons) {
            classOf.put(person, offset + classOf.size());
        }
        return images.images().stream().mapToInt(image -> classOf.get(image.personId())).toArray();
    }

    @Override
    public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
        try (ReidNetwork initial = engine.create(pretrainedWeights.apply(spec))) {
            return initial.read(scope);
        }
    }

    /**
     * One round. Without pruning: start from the global model, train, send. With pruning
     * (pruning-aware local training): start from the global model under the mask in force, prune it
     * to the controller's ratio, train the pruned network (so that what travels has recovered from
     * the cut), measure the probe accuracy, send the kept values with the mask. A recovery brings
     * back the mask before the last cut, with the values the client held before making it.
     */
    @Override
    public ClientUpdate train(TrainingTask task) {
        return locked(() -> trainHolding(task));
    }

    private ClientUpdate trainHolding(TrainingTask task) {
        ReidNetwork current = network();
        parkedFileCurrent = false;
        List<NamedObjective> terms = new ArrayList<>();
        for (String name : task.objectives()) {
            LocalObjective objective = objectives.get(name);
            if (objective.activeInRound(task.round())) {
                terms.add(new NamedObjective(name, objective));
            }
        }
        if (terms.isEmpty()) {
            throw new FedklprException("client " + descriptor.id() + ": none of the objectives "
                    + String.join(", ", task.objectives()) + " is part of round " + task.round());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        PruningState pruningBefore = pruning;
        PruningDecision decision = null;
        if (task.pruning().coordinatorMask()) {
            // One mask for every site, chosen by the coordinator: train under it, cut nothing here; the
            // controller's ratio goes up as what this site asks the next cut to reach.
            decision = controllers.get(task.pruning().controller()).decide(pruning.history(), task.round());
            current.constrain(null);
            current.write(task.global());
            current.constrain(task.globalMask());
            pruning = new PruningState(task.globalMask(), null, ModelState.empty(), pruning.history());
            metrics.put("pruning_ratio", decision.ratio());
            notes.put("crr_action", decision.action());
        } else if (task.pruning().enabled()) {
            Pruner pruner = pruners.get(task.pruning().pruner());
            decision = controllers.get(task.pruning().controller()).decide(pruning.history(), task.round());
            ModelMask inForce = pruning.inForce(decision);
            current.constrain(null);
            // Only what the client's mask keeps came down; a recovery fills the rest from before the cut.
            current.write(decision.restorePreviousMask()
                    ? PruningState.overlay(pruning.revivable(), task.global(), task.globalMask()) : task.global());
            current.constrain(inForce);
            ModelState start = current.read(TensorScope.BACKBONE);
            ModelMask cut = decision.ratio() > 0 || inForce != null ? pruner.prune(start, decision.ratio(), inForce)
                    : null;
            current.constrain(cut);
            pruning = pruning.cut(inForce, cut, start);
            metrics.put("pruning_ratio", decision.ratio());
            notes.put("crr_action", decision.action());
        } else {
            pruning = PruningState.NONE;
            current.constrain(null);
            current.write(task.global());
        }
        // A diverged round is rejected, so the client keeps nothing of it: its head goes back to this.
        ModelState headBefore = current.read(TensorScope.HEAD);
        // What the aggregator weighs clients by compares the model before and after training.
        float[][] before = task.metrics().isEmpty() ? null : current.embed(probe);
        boolean needsGlobal = terms.stream().anyMatch(
                term -> term.objective().needsGlobalEmbeddings() || term.objective().needsGlobalParameters());
        ModelState reference = needsGlobal ? task.global() : ModelState.empty();
        PseudoLabelling pseudoLabelling = task.unsupervised()
                ? new PseudoLabelling(current, train, labellers.apply(task.pseudoLabeller())) : null;
        TrainingReport report = pseudoLabelling != null
                ? current.train(train, pseudoLabelling, task.settings(), terms, reference, progress(task.round()))
                : current.train(train, labels(), task.settings(), terms, reference, progress(task.round()));
        if (pseudoLabelling != null) {
            metrics.putAll(pseudoLabelling.metrics());
        }
        metrics.put("loss", report.meanLoss());
        report.lossTerms().forEach((name, value) -> metrics.put("loss." + name, value));
        metrics.put("steps", (double) report.steps());
        metrics.put("train_seconds", report.seconds());
        metrics.put("data_wait_fraction", report.dataWaitFraction());
        if (report.diverged()) {
            return diverged(task, current, report, report.divergedAtStep(), "the loss was not finite at step "
                    + report.divergedAtStep() + ", where the client stopped", metrics, notes, headBefore, pruningBefore);
        }
        // A loss can stay finite while the weights run away (batch statistics hide them in
        // training); the model as it will be used, in inference, is what must give numbers.
        float[][] after = current.embed(probe);
        if (!finite(after)) {
            return diverged(task, current, report, report.steps(), "after step " + report.steps() + ", the last, its "
                    + "embeddings of the probe batch are not finite", metrics, notes, headBefore, pruningBefore);
        }
        if (decision != null) {
            double signal = pseudoLabelling != null ? pseudoLabelling.probeAccuracy(probeIndices, after)
                    : accuracy(current.classify(probe), probeLabelsOf(labels()));
            pruning = pruning.measured(decision, signal);
            metrics.put("probe_accuracy", signal);
        }
        if (task.metrics().contains(SiteMetrics.KLAW)) {
            metrics.put(SiteMetrics.KLAW, ProbeComparison.klDivergence(before, after, task.probeTemperature()));
        }
        if (task.metrics().contains(SiteMetrics.CDW)) {
            metrics.put(SiteMetrics.CDW, ProbeComparison.cosineDistance(before, after));
        }
        ModelState sent = current.read(task.returnScope());
        if (task.compressed()) {
            UpdateCompression.Compressed compressed = compressions.get(task.compression())
                    .compress(ResidualUpdates.corrected(sent, task.global(), residual));
            residual = compressed.residual();
            metrics.put("sent_fraction", 1 - compressed.travelling().prunedFraction(compressed.sent()));
            return new ClientUpdate(descriptor.id(), task.round(), compressed.sent(), compressed.travelling(),
                    report.samples(), metrics, notes);
        }
        // An update that travels whole leaves nothing for later rounds.
        residual = ModelState.empty();
        ModelMask mask = pruning.current();
        metrics.put("pruned_fraction", mask == null ? 0 : mask.prunedFraction(sent));
        return new ClientUpdate(descriptor.id(), task.round(), sent, mask, report.samples(), metrics, notes);
    }

    /**
     * An update the coordinator rejects on {@link ClientUpdate#DIVERGED_AT_STEP}, saying why in
     * {@link ClientUpdate#DIVERGENCE}. The client goes back to its head and pruning state from before
     * the round, so that a rejected round leaves nothing behind; the backbone is the next global one.
     */
    private ClientUpdate diverged(TrainingTask task, ReidNetwork current, TrainingReport report, int step, String why,
            Map<String, Double> metrics, Map<String, String> notes, ModelState headBefore, PruningState pruningBefore) {
        ModelState sent = current.read(task.returnScope());
        current.constrain(null);
        current.write(headBefore);
        pruning = pruningBefore;
        metrics.put(ClientUpdate.DIVERGED_AT_STEP, (double) step);
        notes.put(ClientUpdate.DIVERGENCE, why);
        return new ClientUpdate(descriptor.id(), task.round(), sent, null, report.samples(), metrics, notes);
    }

    private static boolean finite(float[][] rows) {
        for (float[] row : rows) {
            if (!finite(row)) {
                return false;
            }
        }
        return true;
    }

    private static boolean finite(float[] row) {
        for (float value : row) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    /** Tells the listeners how training advances: after the last step, and at most twice a second before. */
    private ReidNetwork.StepListener progress(int round) {
        List<RoundListener> told = listeners.get();
        if (told.isEmpty()) {
            return ReidNetwork.StepListener.NONE;
        }
        long started = System.nanoTime();
        long[] lastTold = {started};
        return (step, steps, images) -> {
            long now = System.nanoTime();
            if (step < steps && now - lastTold[0] < PROGRESS_INTERVAL_NANOS) {
                return;
            }
            lastTold[0] = now;
            long total = images * steps / Math.max(1, step);
            for (RoundListener listener : told) {
                try {
                    listener.trainingProgress(descriptor.id(), round, images, total, (now - started) / 1e9);
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "progress listener " + listener + " failed", e);
                }
            }
        };
    }

    private int[] probeLabelsOf(int[] trainLabels) {
        int[] probeLabels = new int[probeIndices.length];
        for (int j = 0; j < probeIndices.length; j++) {
            probeLabels[j] = trainLabels[probeIndices[j]];
        }
        return probeLabels;
    }

    private static double accuracy(int[] predicted, int[] expected) {
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == expected[i] ? 1 : 0;
        }
        return predicted.length == 0 ? 0 : (double) correct / predicted.length;
    }

    @Override
    public ClientEvaluation evaluate(int round, ModelState global) {
        return locked(() -> evaluateHolding(round, global));
    }

    private ClientEvaluation evaluateHolding(int round, ModelState global) {
        // Scoring uses only what is written here: a parked client's state stays parked (on disk, a
        // whole backbone's worth of pruning state that would be read for nothing).
        ReidNetwork current = parked ? pool.acquire(this, engine, requested, () -> engine.create(requested))
                : network();
        // The global model as aggregated, not this client's pruned view of it (train() puts the mask
        // back); and only the shared part: the head is the client's own, and retrieval does not use it.
        current.constrain(null);
        current.write(global.select(TensorScope.BACKBONE));
        FeatureSet queryFeatures = features(current, query);
        FeatureSet galleryFeatures = features(current, gallery);
        return new ClientEvaluation(descriptor.id(), round, evaluator.evaluate(queryFeatures, galleryFeatures));
    }

    private FeatureSet features(ReidNetwork network, ImageSet images) {
        int[] persons = images.images().stream().mapToInt(ReidImage::personId).toArray();
        int[] cameras = images.images().stream().mapToInt(ReidImage::camera).toArray();
        float[][] embeddings = flipFusion ? network.embedWithFlip(images) : network.embed(images);
        for (int i = 0; i < embeddings.length; i++) {
            if (!finite(embeddings[i])) {
                throw new FedklprException("the model's embedding of " + images.images().get(i).path()
                        + " is not finite: the model has diverged");
            }
        }
        return new FeatureSet(embeddings, persons, cameras);
    }

    @Override
    public void checkpoint(String experiment, int round) {
        locked(() -> {
            if (parked && parkOnDisk) {
                stateStore.saveParked(experiment, round);
            } else {
                stateStore.save(experiment, round, localState());
            }
            return null;
        });
    }

    @Override
    public void restore(String experiment, int round) {
        locked(() -> {
            ModelState state = stateStore.load(experiment, round);
            if (!parked) {
                adopt(network(), state);
                parkedFileCurrent = false;
            } else if (parkOnDisk) {
                stateStore.park(state);
                parkedFileCurrent = true;
            } else {
                keep(state);
                parkedHead = state.select(TensorScope.HEAD);
            }
            return null;
        });
    }

    /**
     * The head, the pruning state when there is one (see {@link PruningState}), and the residual of
     * update compression when there is one: what {@link #checkpoint} saves.
     */
    ModelState localState() {
        if (!parked) {
            return withHead(network().read(TensorScope.HEAD));
        }
        return parkOnDisk ? stateStore.unpark() : withHead(parkedHead);
    }

    private ModelState withHead(ModelState head) {
        return head.with(ModelState.of(pruning.toTensors(backboneSizes)))
                .with(ModelState.of(ResidualUpdates.toTensors(residual)));
    }

    /** Takes {@code state} as this client's, into {@code network}. */
    private void adopt(ReidNetwork network, ModelState state) {
        keep(state);
        network.constrain(pruning.current());
        network.write(state.select(TensorScope.HEAD));
    }

    /** The pruning state and residual of a saved state. */
    private void keep(ModelState state) {
        residual = ResidualUpdates.fromTensors(state);
        pruning = PruningState.fromTensors(state);
    }

    /** Called by the pool, which holds this client's lock, before it gives the network to another client. */
    @Override
    public void park(ReidNetwork network) {
        if (parked) {
            // It only scored in the network (see evaluateHolding): nothing of its own is in there.
            return;
        }
        if (parkOnDisk) {
            if (!parkedFileCurrent) {
                stateStore.park(withHead(network.read(TensorScope.HEAD)));
                parkedFileCurrent = true;
            }
            pruning = PruningState.NONE;
            residual = ModelState.empty();
        } else {
            parkedHead = network.read(TensorScope.HEAD);
        }
        parked = true;
    }

    @Override
    public ReentrantLock lock() {
        return lock;
    }

    /** The client's network, with its head and mask in it (brought back if the client was parked). */
    private ReidNetwork network() {
        if (requested == null) {
            throw new IllegalStateException("client " + descriptor.id() + " was not prepared");
        }
        ReidNetwork network = pool.acquire(this, engine, requested, () -> engine.create(requested));
        if (parked) {
            if (parkOnDisk) {
                adopt(network, stateStore.unpark());
                parkedFileCurrent = true;
            } else {
                network.constrain(pruning.current());
                network.write(parkedHead);
                parkedHead = null;
            }
            parked = false;
        }
        return network;
    }

    /** Runs one of the client's calls holding its lock; afterwards a client waiting for a network may take it. */
    private <T> T locked(Supplier<T> call) {
        lock.lock();
        try {
            return call.get();
        } finally {
            lock.unlock();
            pool.done();
        }
    }

    @Override
    public void close() {
        locked(() -> {
            pool.leave(this);
            if (parkOnDisk) {
                stateStore.deleteParked();
            }
            return null;
        });
    }
}
