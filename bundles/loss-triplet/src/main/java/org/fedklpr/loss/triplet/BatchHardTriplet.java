package org.fedklpr.loss.triplet;

import org.fedklpr.api.Names;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.objective.TrainingStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Batch-hard triplet loss (Hermans et al. 2017) on the pre-neck features, as in the BNNeck re-ID
 * baseline: for every anchor, its farthest same-identity sample and its nearest other-identity
 * sample, {@code weight · mean_a max(0, d(a,p) − d(a,n) + margin)} with Euclidean distances.
 * Needs identity-balanced batches ({@code instancesPerIdentity} &gt; 1); an anchor without a
 * positive uses distance 0 to itself.
 */
@Component(configurationPid = BatchHardTriplet.PID, property = Names.SERVICE_NAME + "=triplet")
@Designate(ocd = BatchHardTriplet.Config.class)
public final class BatchHardTriplet implements LocalObjective {
    static final String PID = "org.fedklpr.loss.triplet";
    /** Added to same-identity distances so that they never count as the nearest negative. */
    private static final float EXCLUDE = 1e6f;

    @ObjectClassDefinition(name = "FedKLPR batch-hard triplet loss")
    @interface Config {
        @AttributeDefinition(description = "Margin", min = "0")
        double margin() default 0.3;

        @AttributeDefinition(description = "Weight of the term in the local objective", min = "0")
        double weight() default 1.0;
    }

    private final float margin;
    private final float weight;

    @Activate
    public BatchHardTriplet(Config config) {
        this(config.margin(), config.weight());
    }

    BatchHardTriplet(double margin, double weight) {
        this.margin = (float) margin;
        this.weight = (float) weight;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray x = step.features();
        long batch = x.getShape().get(0);
        NDArray squaredNorms = x.square().sum(new int[] {1});
        NDArray squared = squaredNorms.reshape(batch, 1).add(squaredNorms.reshape(1, batch))
                .sub(x.matMul(x.transpose()).mul(2));
        // The clamp keeps sqrt's gradient finite on the diagonal.
        NDArray distances = squared.maximum(1e-12f).sqrt();
        NDArray labels = step.labels().toType(DataType.FLOAT32, false);
        NDArray same = labels.reshape(batch, 1).eq(labels.reshape(1, batch)).toType(DataType.FLOAT32, false);
        NDArray hardestPositive = distances.mul(same).max(new int[] {1});
        NDArray hardestNegative = distances.add(same.mul(EXCLUDE)).min(new int[] {1});
        return hardestPositive.sub(hardestNegative).add(margin).maximum(0f).mean().mul(weight);
    }
}
