package org.fedklpr.client;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.NetworkSpec;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.named.NamedServices;

/**
 * One site. Its images are decoded once at {@link #prepare} and stay here; what leaves is weights,
 * counts and scores. Between rounds it keeps its network, whose identity head is its own.
 */
final class LocalClient implements FederatedClient {
    private static final System.Logger LOG = System.getLogger(LocalClient.class.getName());
    private static final int SKIPPED_FILES_SHOWN = 5;

    private final ClientDescriptor descriptor;
    private final ReidDataset dataset;
    private final LearningEngine engine;
    private final ReidEvaluator evaluator;
    private final NamedServices<LocalObjective> objectives;
    private final List<SkippedFile> skipped = new ArrayList<>();

    private ReidNetwork network;
    private ImageSet train;
    private int[] labels;
    private ImageSet query;
    private ImageSet gallery;

    LocalClient(ClientDescriptor descriptor, ReidDataset dataset, LearningEngine engine, ReidEvaluator evaluator,
            NamedServices<LocalObjective> objectives) {
        this.descriptor = descriptor;
        this.dataset = dataset;
        this.engine = engine;
        this.evaluator = evaluator;
        this.objectives = objectives;
        skipped.addAll(dataset.skipped());
    }

    @Override
    public ClientInfo info() {
        int trainImages = train == null ? dataset.train().size() : train.size();
        int queryImages = query == null ? dataset.query().size() : query.size();
        int galleryImages = gallery == null ? dataset.gallery().size() : gallery.size();
        return new ClientInfo(descriptor.id(), dataset.name(), trainImages, dataset.trainIdentities(), queryImages,
                galleryImages, skipped.size());
    }

    @Override
    public void prepare(NetworkSpec spec, int labelOffset) {
        if (network != null) {
            network.close();
        }
        train = decode(dataset.train(), spec, "bounding_box_train");
        query = decode(dataset.query(), spec, "query");
        gallery = decode(dataset.gallery(), spec, "bounding_box_test");
        labels = labelsOf(train, labelOffset);
        if (!skipped.isEmpty()) {
            LOG.log(Level.WARNING, () -> "client " + descriptor.id() + " skipped " + skipped.size() + " files of "
                    + descriptor.dataset() + ", first: " + skipped.subList(0, Math.min(SKIPPED_FILES_SHOWN,
                            skipped.size())));
        }
        network = engine.create(spec);
    }

    private ImageSet decode(List<ReidImage> images, NetworkSpec spec, String split) {
        ImageSet decoded = engine.decode(images, spec.inputHeight(), spec.inputWidth());
        skipped.addAll(decoded.skipped());
        if (decoded.size() == 0) {
            throw new FedklprException("client " + descriptor.id() + ": none of the " + images.size() + " images in "
                    + descriptor.dataset().resolve(split) + " could be decoded (first problem: "
                    + (decoded.skipped().isEmpty() ? "no images" : decoded.skipped().get(0)) + ")");
        }
        return decoded;
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
    public ClientUpdate train(TrainingTask task) {
        ReidNetwork current = requirePrepared();
        List<NamedObjective> terms = new ArrayList<>();
        for (String name : task.objectives()) {
            terms.add(new NamedObjective(name, objectives.get(name)));
        }
        current.write(task.global());
        boolean needsGlobal = terms.stream().anyMatch(term -> term.objective().needsGlobalModel());
        TrainingReport report = current.train(train, labels, task.settings(), terms,
                needsGlobal ? task.global() : ModelState.empty());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", report.meanLoss());
        report.lossTerms().forEach((name, value) -> metrics.put("loss." + name, value));
        metrics.put("steps", (double) report.steps());
        metrics.put("train_seconds", report.seconds());
        return new ClientUpdate(descriptor.id(), task.round(), current.read(task.returnScope()), null,
                report.samples(), metrics);
    }

    @Override
    public ClientEvaluation evaluate(int round, ModelState global) {
        ReidNetwork current = requirePrepared();
        // Only the shared part: the head is this client's own, and retrieval does not use it.
        current.write(global.select(TensorScope.BACKBONE));
        FeatureSet queryFeatures = features(current, query);
        FeatureSet galleryFeatures = features(current, gallery);
        return new ClientEvaluation(descriptor.id(), round, evaluator.evaluate(queryFeatures, galleryFeatures));
    }

    private static FeatureSet features(ReidNetwork network, ImageSet images) {
        int[] persons = images.images().stream().mapToInt(ReidImage::personId).toArray();
        int[] cameras = images.images().stream().mapToInt(ReidImage::camera).toArray();
        return new FeatureSet(network.embed(images), persons, cameras);
    }

    @Override
    public ModelState localState() {
        return requirePrepared().read(TensorScope.HEAD);
    }

    @Override
    public void restoreLocalState(ModelState state) {
        requirePrepared().write(state);
    }

    private ReidNetwork requirePrepared() {
        if (network == null) {
            throw new IllegalStateException("client " + descriptor.id() + " was not prepared");
        }
        return network;
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
            network = null;
        }
    }
}
