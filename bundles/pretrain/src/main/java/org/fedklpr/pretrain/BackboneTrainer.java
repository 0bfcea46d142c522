package org.fedklpr.pretrain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.engine.ReidNetwork.NamedObjective;
import org.fedklpr.api.engine.TrainingReport;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;

/**
 * Centralised training of a re-ID network on one public dataset, keeping its backbone: identity
 * classification over all the dataset's training people with SGD, a step decay of the learning
 * rate to a tenth for the last third of the epochs (the usual re-ID schedule, shortened), and the
 * dataset's own query/gallery split scored now and then for the progress line.
 */
final class BackboneTrainer {
    private static final String BACKBONE = "backbone.";

    /**
     * @param evaluateEvery score the test split after every this many epochs (and after the last)
     */
    record Settings(int epochs, int batchSize, float learningRate, float momentum, float weightDecay, long seed,
            int evaluateEvery) {
        Settings {
            if (epochs <= 0 || evaluateEvery <= 0) {
                throw new IllegalArgumentException("epochs and evaluateEvery must be positive, got " + epochs + ", "
                        + evaluateEvery);
            }
        }

        /** The learning rate of a 0-based epoch: the last third at a tenth. */
        float learningRate(int epoch) {
            return epoch < decayEpoch() ? learningRate : learningRate / 10;
        }

        int decayEpoch() {
            return epochs - epochs / 3;
        }
    }

    /** The trained backbone and how well the whole network did on the public test split. */
    record Outcome(Map<String, Tensor> backbone, int identities, int trainImages, double rank1, double mAP,
            double seconds) {
    }

    private BackboneTrainer() {
    }

    /**
     * @param network the architecture, input size and embedding size to train (its head and seed are
     *        replaced: one class per public training identity, the settings' seed)
     */
    static Outcome train(LearningEngine engine, NetworkSpec network, ReidDataset data, List<NamedObjective> objectives,
            ReidEvaluator evaluator, Settings settings, Consumer<String> progress) {
        long started = System.nanoTime();
        TreeSet<Integer> persons = new TreeSet<>();
        data.train().forEach(image -> persons.add(image.personId()));
        if (persons.size() < 2) {
            throw new FedklprException("the public dataset " + data.root() + " has " + persons.size() + " training "
                    + "identities; pretraining needs at least 2");
        }
        NetworkSpec spec = new NetworkSpec(network.architecture(), network.inputHeight(), network.inputWidth(),
                network.embeddingDim(), persons.size(), settings.seed());
        try (ReidNetwork model = engine.create(spec)) {
            NetworkSpec built = model.spec();
            ImageSet train = engine.decode(data.train(), built.inputHeight(), built.inputWidth());
            ImageSet query = engine.decode(data.query(), built.inputHeight(), built.inputWidth());
            ImageSet gallery = engine.decode(data.gallery(), built.inputHeight(), built.inputWidth());
            int skipped = train.skipped().size() + query.skipped().size() + gallery.skipped().size();
            Map<Integer, Integer> classOf = new HashMap<>();
            persons.forEach(person -> classOf.put(person, classOf.size()));
            int[] labels = train.images().stream().mapToInt(image -> classOf.get(image.personId())).toArray();
            progress.accept(String.format(Locale.ROOT, "pretrain: %s %dx%d, embedding %d, on %s: %d training "
                    + "images of %d people, %d query and %d gallery images%s; %d epochs", built.architecture(),
                    built.inputHeight(), built.inputWidth(), built.embeddingDim(), data.root(), train.size(),
                    persons.size(), query.size(), gallery.size(), skipped == 0 ? "" : " (" + skipped + " unreadable "
                            + "files skipped)", settings.epochs()));
            ReidMetrics metrics = null;
            long trainingStarted = System.nanoTime();
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                TrainingSettings step = new TrainingSettings(1, settings.batchSize(), "sgd",
                        settings.learningRate(epoch), 1f, settings.momentum(), settings.weightDecay(), 0,
                        settings.seed() * 1_000 + epoch);
                TrainingReport report = model.train(train, labels, step, objectives, ModelState.empty());
                if (report.diverged()) {
                    throw new FedklprException("pretraining diverged in epoch " + (epoch + 1) + " at step "
                            + report.divergedAtStep() + " (the loss was not finite); lower "
                            + PublicPretraining.PID + ":learningRate (now " + settings.learningRate() + ")");
                }
                boolean last = epoch + 1 == settings.epochs();
                String scores = "";
                if (last || (epoch + 1) % settings.evaluateEvery() == 0) {
                    metrics = evaluator.evaluate(features(model, query), features(model, gallery));
                    scores = String.format(Locale.ROOT, "; public test Rank-1 %.1f %%, mAP %.1f %%",
                            100 * metrics.rank1(), 100 * metrics.mAP());
                }
                int epochsLeft = settings.epochs() - epoch - 1;
                double secondsLeft = epochsLeft * (System.nanoTime() - trainingStarted) / 1e9 / (epoch + 1);
                progress.accept(String.format(Locale.ROOT, "pretrain: epoch %d/%d, learning rate %s, loss %.4f, "
                        + "%.1f s%s%s", epoch + 1, settings.epochs(), settings.learningRate(epoch), report.meanLoss(),
                        report.seconds(), scores, epochsLeft == 0 ? "" : String.format(Locale.ROOT,
                                "; %d epochs left, about %.0f s (ends about %s)", epochsLeft, secondsLeft,
                                java.time.LocalTime.now().plusSeconds(Math.round(secondsLeft))
                                        .format(java.time.format.DateTimeFormatter.ofPattern("HH:mm")))));
            }
            Map<String, Tensor> backbone = new LinkedHashMap<>();
            model.read(TensorScope.BACKBONE).tensors().forEach((name, tensor) -> {
                if (name.startsWith(BACKBONE)) {
                    backbone.put(name, tensor);
                }
            });
            return new Outcome(backbone, persons.size(), train.size(), metrics.rank1(), metrics.mAP(),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    private static FeatureSet features(ReidNetwork network, ImageSet images) {
        return new FeatureSet(network.embed(images), images.images().stream().mapToInt(ReidImage::personId)
                .toArray(), images.images().stream().mapToInt(ReidImage::camera).toArray());
    }
}
