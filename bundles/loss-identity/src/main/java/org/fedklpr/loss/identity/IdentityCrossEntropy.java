package org.fedklpr.loss.identity;

import org.fedklpr.api.Names;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.objective.TrainingStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import ai.djl.ndarray.NDArray;

/**
 * Identity cross-entropy with label smoothing (Szegedy et al. 2016), the re-ID baselines' ID loss:
 * {@code weight * mean_b( -Σ_c q_c log softmax(z_b)_c )} with {@code q = (1-ε)·onehot(y) + ε/C}.
 */
@Component(configurationPid = IdentityCrossEntropy.PID, property = Names.SERVICE_NAME + "=" + IdentityCrossEntropy.NAME)
@Designate(ocd = IdentityCrossEntropy.Config.class)
public final class IdentityCrossEntropy implements LocalObjective {
    static final String PID = "org.fedklpr.loss.identity";
    static final String NAME = "identity-ce";

    @ObjectClassDefinition(name = "FedKLPR identity cross-entropy")
    @interface Config {
        @AttributeDefinition(description = "Label smoothing ε in [0, 1)", min = "0", max = "0.999")
        double labelSmoothing() default 0.1;

        @AttributeDefinition(description = "Weight of this term in the local objective", min = "0")
        double weight() default 1.0;
    }

    private final float smoothing;
    private final float weight;

    @Activate
    public IdentityCrossEntropy(Config config) {
        this(config.labelSmoothing(), config.weight());
    }

    IdentityCrossEntropy(double smoothing, double weight) {
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = (float) smoothing;
        this.weight = (float) weight;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        if (step.proxies() != null) {
            throw new IllegalStateException(NAME + " trains the identity head on identity labels, but this is unsupervised"
                    + " training on pseudo-identities: use capr instead");
        }
        NDArray logits = step.logits();
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray target = step.labels().oneHot(classes).mul(1 - smoothing).add(smoothing / classes);
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().mul(-weight);
    }
}
