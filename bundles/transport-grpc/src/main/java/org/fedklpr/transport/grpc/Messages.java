package org.fedklpr.transport.grpc;

import java.util.HashSet;

import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.transport.grpc.proto.Check;
import org.fedklpr.transport.grpc.proto.Scores;
import org.fedklpr.transport.grpc.proto.SiteInfo;
import org.fedklpr.transport.grpc.proto.Train;

/**
 * The platform's records as protocol messages and back. Models are not here: they travel as the
 * wire codec's bytes, in chunks.
 */
final class Messages {
    private Messages() {
    }

    static org.fedklpr.transport.grpc.proto.NetworkSpec network(NetworkSpec spec) {
        return org.fedklpr.transport.grpc.proto.NetworkSpec.newBuilder().setArchitecture(spec.architecture())
                .setInputHeight(spec.inputHeight()).setInputWidth(spec.inputWidth())
                .setEmbeddingDim(spec.embeddingDim()).setIdentities(spec.identities()).setSeed(spec.seed())
                .setPretrainedWeights(spec.pretrainedWeights()).build();
    }

    static NetworkSpec network(org.fedklpr.transport.grpc.proto.NetworkSpec message) {
        return new NetworkSpec(message.getArchitecture(), message.getInputHeight(), message.getInputWidth(),
                message.getEmbeddingDim(), message.getIdentities(), message.getSeed(), message.getPretrainedWeights());
    }

    /** The task without its global model, which travels as the payload. */
    static Train train(TrainingTask task) {
        TrainingSettings s = task.settings();
        return Train.newBuilder().setRound(task.round()).setReturnScope(task.returnScope().name())
                .setSettings(org.fedklpr.transport.grpc.proto.TrainingSettings.newBuilder().setEpochs(s.epochs())
                        .setBatchSize(s.batchSize()).setOptimizer(s.optimizer()).setLearningRate(s.learningRate())
                        .setHeadLearningRateFactor(s.headLearningRateFactor()).setMomentum(s.momentum())
                        .setWeightDecay(s.weightDecay()).setInstancesPerIdentity(s.instancesPerIdentity())
                        .setSeed(s.seed()).setRandomErasing(s.randomErasing()))
                .addAllObjectives(task.objectives()).setPruner(task.pruning().pruner())
                .setPruningController(task.pruning().controller())
                .setCoordinatorMask(task.pruning().coordinatorMask()).setProbeTemperature(task.probeTemperature())
                .addAllMetrics(task.metrics().stream().sorted().toList()).setUpdateCompression(task.compression())
                .setPseudoLabeller(task.pseudoLabeller()).build();
    }

    /** The task as the site rebuilds it; {@code global} and {@code mask} came as the payload. */
    static TrainingTask train(Train message, org.fedklpr.api.model.ModelState global,
            org.fedklpr.api.model.ModelMask mask) {
        org.fedklpr.transport.grpc.proto.TrainingSettings s = message.getSettings();
        TrainingSettings settings = new TrainingSettings(s.getEpochs(), s.getBatchSize(), s.getOptimizer(),
                s.getLearningRate(), s.getHeadLearningRateFactor(), s.getMomentum(), s.getWeightDecay(),
                s.getInstancesPerIdentity(), s.getSeed(), s.getRandomErasing());
        TrainingTask.Pruning pruning = message.getPruner().isBlank() ? TrainingTask.Pruning.NONE
                : new TrainingTask.Pruning(message.getPruner(), message.getPruningController(),
                        message.getCoordinatorMask());
        return new TrainingTask(message.getRound(), global, mask, scope(message.getReturnScope()), settings,
                message.getObjectivesList(), pruning, message.getProbeTemperature(),
                new HashSet<>(message.getMetricsList()), message.getUpdateCompression(), message.getPseudoLabeller());
    }

    static TensorScope scope(String name) {
        try {
            return TensorScope.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown tensor scope '" + name + "'", e);
        }
    }

    static Check check(SiteRequirements requirements) {
        return Check.newBuilder().setDatasetFormat(requirements.datasetFormat())
                .addAllObjectives(requirements.objectives()).setPruner(requirements.pruning().pruner())
                .setPruningController(requirements.pruning().controller())
                .setCoordinatorMask(requirements.pruning().coordinatorMask())
                .setArchitecture(requirements.architecture()).setPretrainedWeights(requirements.pretrainedWeights())
                .setUpdateCompression(requirements.updateCompression())
                .setPseudoLabeller(requirements.pseudoLabeller()).build();
    }

    static SiteRequirements check(Check message) {
        TrainingTask.Pruning pruning = message.getPruner().isBlank() ? TrainingTask.Pruning.NONE
                : new TrainingTask.Pruning(message.getPruner(), message.getPruningController(),
                        message.getCoordinatorMask());
        return new SiteRequirements(message.getDatasetFormat(), message.getObjectivesList(), pruning,
                message.getArchitecture(), message.getPretrainedWeights(), message.getUpdateCompression(),
                message.getPseudoLabeller());
    }

    static SiteInfo info(ClientInfo info) {
        return SiteInfo.newBuilder().setDataset(info.dataset()).setTrainImages(info.trainImages())
                .setTrainIdentities(info.trainIdentities()).setQueryImages(info.queryImages())
                .setGalleryImages(info.galleryImages()).setSkippedFiles(info.skippedFiles())
                .setInputHeight(info.inputHeight()).setInputWidth(info.inputWidth()).build();
    }

    /** @param site the name the site authenticated as: a site cannot describe itself as another */
    static ClientInfo info(String site, SiteInfo message) {
        return new ClientInfo(site, message.getDataset(), message.getTrainImages(), message.getTrainIdentities(),
                message.getQueryImages(), message.getGalleryImages(), message.getSkippedFiles(), message.getInputHeight(),
                message.getInputWidth());
    }

    static Scores scores(ReidMetrics metrics) {
        return Scores.newBuilder().setRank1(metrics.rank1()).setRank5(metrics.rank5()).setRank10(metrics.rank10())
                .setMap(metrics.mAP()).setOfficialMap(metrics.officialMAP()).setQueries(metrics.queries())
                .setQueriesWithoutMatch(metrics.queriesWithoutMatch()).build();
    }

    static ReidMetrics scores(Scores message) {
        return new ReidMetrics(message.getRank1(), message.getRank5(), message.getRank10(), message.getMap(),
                message.getOfficialMap(), message.getQueries(), message.getQueriesWithoutMatch());
    }
}
