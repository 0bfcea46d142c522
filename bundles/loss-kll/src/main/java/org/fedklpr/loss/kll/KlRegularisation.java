package org.fedklpr.loss.kll;

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
 * KLL, FedKLPR's KL-divergence regularisation (our reading; docs/ALGORITHMS.md):
 * {@code λ · mean_b KL( softmax(f_g(x_b)/τ) || softmax(f_l(x_b)/τ) )} over the embeddings
 * (BNNeck outputs) of the frozen global model {@code f_g} and the local model {@code f_l} on the
 * same batch. The global side is a constant: the gradient, {@code (λ/τ)(q − p)/B} per embedding,
 * reaches only the local model.
 */
@Component(configurationPid = KlRegularisation.PID, property = Names.SERVICE_NAME + "=kll")
@Designate(ocd = KlRegularisation.Config.class)
public final class KlRegularisation implements LocalObjective {
    static final String PID = "org.fedklpr.loss.kll";

    @ObjectClassDefinition(name = "FedKLPR KL-divergence regularisation (KLL)")
    @interface Config {
        @AttributeDefinition(description = "Weight λ of the term", min = "0")
        double lambda() default 1.0;

        @AttributeDefinition(description = "Softmax temperature τ over embedding dimensions", min = "0.001")
        double temperature() default 1.0;
    }

    private final float lambda;
    private final float temperature;

    @Activate
    public KlRegularisation(Config config) {
        this(config.lambda(), config.temperature());
    }

    KlRegularisation(double lambda, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(PID + ": temperature must be positive, got " + temperature);
        }
        this.lambda = (float) lambda;
        this.temperature = (float) temperature;
    }

    @Override
    public boolean needsGlobalEmbeddings() {
        return true;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray logQ = step.embeddings().div(temperature).logSoftmax(1);
        NDArray logP = step.globalEmbeddings().div(temperature).logSoftmax(1);
        return logP.exp().mul(logP.sub(logQ)).sum(new int[] {1}).mean().mul(lambda);
    }
}
