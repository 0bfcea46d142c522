package org.fedklpr.coordinator;

import java.util.List;

import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.federation.TrainingTask;

/**
 * A snapshot of the coordinator's configuration, taken when an experiment starts. The algorithm
 * choices ({@link #aggregator}, {@link #objectives}, {@link #pruner}, {@link #pruningController},
 * {@link #updateCompression})
 * are read again at every round (hot swap); see {@link Coordinator.Config} for what each field
 * means.
 */
record ExperimentSettings(String name, int rounds, double clientFraction, String aggregator, List<String> objectives,
        String pruner, String pruningController, String transport, String architecture,
        int inputHeight, int inputWidth, int embeddingDim, String pretrainedWeights, String labelSpace, int localEpochs, int batchSize,
        int instancesPerIdentity, double randomErasing, String optimizer, double learningRate, double headLearningRateFactor,
        double momentum, double weightDecay, double probeTemperature, long seed, String dataRoot, String generator,
        String datasetFormat, int minSites, String updateCompression, String pruningMask, String pseudoLabels,
        int learningRateStepRound, double learningRateStepFactor) {

    static final String LOCAL_LABELS = "local";
    static final String SHARED_LABELS = "shared";
    static final String SITE_MASKS = "site";
    static final String COORDINATOR_MASK = "coordinator";
    /** The objective that trains the identity head on identity labels, which unsupervised training has not. */
    static final String IDENTITY_OBJECTIVE = "identity-ce";

    ExperimentSettings {
        objectives = List.copyOf(objectives);
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds=" + rounds + ": expected a whole number ≥ 0");
        }
        if (!(clientFraction > 0 && clientFraction <= 1)) {
            throw new IllegalArgumentException("clientFraction=" + clientFraction + ": expected a fraction of the clients in (0, 1]");
        }
        if (!LOCAL_LABELS.equals(labelSpace) && !SHARED_LABELS.equals(labelSpace)) {
            throw new IllegalArgumentException("labelSpace=" + labelSpace + ": expected local or shared");
        }
        if (!SITE_MASKS.equals(pruningMask) && !COORDINATOR_MASK.equals(pruningMask)) {
            throw new IllegalArgumentException("pruningMask=" + pruningMask + ": expected site or coordinator");
        }
        if (objectives.isEmpty()) {
            throw new IllegalArgumentException("objectives=: expected at least one local objective by name (e.g. identity-ce)");
        }
        pseudoLabels = pseudoLabels == null ? "" : pseudoLabels.strip();
        if (!pseudoLabels.isEmpty() && objectives.contains(IDENTITY_OBJECTIVE)) {
            throw new IllegalArgumentException("objectives=" + String.join(",", objectives) + ": " + IDENTITY_OBJECTIVE
                    + " trains an identity head on identity labels, which unsupervised training (pseudoLabels="
                    + pseudoLabels + ") never reads; use capr (and cosine-reg, kll) instead");
        }
        if (!pseudoLabels.isEmpty() && SHARED_LABELS.equals(labelSpace)) {
            throw new IllegalArgumentException("labelSpace=shared: one head over every site's identities needs identity"
                    + " labels, which unsupervised training (pseudoLabels=" + pseudoLabels + ") never reads; use local");
        }
        if (learningRateStepRound < 0 || !(learningRateStepFactor >= 0)) {
            throw new IllegalArgumentException("learningRateStepRound=" + learningRateStepRound
                    + ", learningRateStepFactor=" + learningRateStepFactor + ": expected a round ≥ 0 and a factor ≥ 0");
        }
    }

    static ExperimentSettings of(Coordinator.Config c) {
        return new ExperimentSettings(c.name(), c.rounds(), c.clientFraction(), c.aggregator(),
                List.of(c.objectives()), c.pruner(), c.pruningController(), c.transport(), c.architecture(),
                c.inputHeight(), c.inputWidth(), c.embeddingDim(), c.pretrainedWeights(), c.labelSpace(), c.localEpochs(), c.batchSize(),
                c.instancesPerIdentity(), c.randomErasing(), c.optimizer(), c.learningRate(), c.headLearningRateFactor(), c.momentum(),
                c.weightDecay(), c.probeTemperature(), c.seed(), c.dataRoot(), c.generator(), c.datasetFormat(),
                c.minSites(), c.updateCompression(), c.pruningMask(), c.pseudoLabels(), c.learningRateStepRound(),
                c.learningRateStepFactor());
    }

    /**
     * How many of {@code selected} sites must send an update that can be aggregated for a round to
     * count: {@code minSites}, or half of them rounded up.
     */
    int quorum(int selected) {
        return minSites > 0 ? minSites : (selected + 1) / 2;
    }

    boolean sharedLabels() {
        return SHARED_LABELS.equals(labelSpace);
    }

    /** The clients' networks: their initial weights never matter, the first global model overwrites them. */
    NetworkSpec network(int identities) {
        return new NetworkSpec(architecture, inputHeight, inputWidth, embeddingDim, identities, seed);
    }

    /** The initial global model: seeded, or from the pretrained file when one is configured. */
    NetworkSpec initialGlobalNetwork(int identities) {
        return network(identities).withPretrainedWeights(pretrainedWeights);
    }

    /** Whether the sites train on pseudo-identities rather than identity labels. */
    boolean unsupervised() {
        return !pseudoLabels.isEmpty();
    }

    /** Local training in {@code round}: the learning rate stepped down from {@link #learningRateStepRound} on. */
    TrainingSettings training(int round, long trainingSeed) {
        boolean stepped = learningRateStepRound > 0 && round >= learningRateStepRound;
        double rate = stepped ? learningRate * learningRateStepFactor : learningRate;
        return new TrainingSettings(localEpochs, batchSize, optimizer, (float) rate,
                (float) headLearningRateFactor, (float) momentum, (float) weightDecay, instancesPerIdentity,
                trainingSeed, (float) randomErasing);
    }

    /** What every site must have to train under these settings. */
    SiteRequirements siteRequirements() {
        return new SiteRequirements(datasetFormat, objectives, pruning(), architecture, pretrainedWeights,
                updateCompression, pseudoLabels);
    }

    TrainingTask.Pruning pruning() {
        return pruner.isBlank() ? TrainingTask.Pruning.NONE
                : new TrainingTask.Pruning(pruner, pruningController, coordinatorMask());
    }

    /** Whether the coordinator chooses one pruning mask for every site (see {@link TrainingTask.Pruning}). */
    boolean coordinatorMask() {
        return COORDINATOR_MASK.equals(pruningMask) && !pruner.isBlank();
    }

    /**
     * The settings that defined what a checkpoint holds in checkpoints written before they recorded
     * every setting (see {@link Checkpoints}): hot-swappable fields (the algorithms) and the round
     * count (a finished run may be extended) are left out.
     */
    ExperimentSettings identity() {
        return new ExperimentSettings(name, 0, clientFraction, "", List.of("*"), "", "", transport,
                architecture, inputHeight, inputWidth, embeddingDim, pretrainedWeights, labelSpace, localEpochs, batchSize,
                instancesPerIdentity, randomErasing, optimizer, learningRate, headLearningRateFactor, momentum, weightDecay,
                probeTemperature, seed, dataRoot, generator, datasetFormat, minSites, "", SITE_MASKS, pseudoLabels,
                learningRateStepRound, learningRateStepFactor);
    }
}
