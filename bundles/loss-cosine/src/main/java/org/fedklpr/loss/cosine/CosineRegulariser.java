package org.fedklpr.loss.cosine;

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
 * FedCAPR's regulariser (our reading of its code; docs/ALGORITHMS.md): {@code weight · mean_b
 * (1 − cos(f_l(x_b), f_g(x_b)))}, the cosine distance between the local model's embedding and the
 * frozen global model's embedding of each image of the batch. It keeps local training near the
 * global model; the global side is a constant. FedCAPR leaves it out of the first round, whose
 * global model is only the starting point: {@code fromRound} 2.
 */
@Component(configurationPid = CosineRegulariser.PID, property = Names.SERVICE_NAME + "=" + CosineRegulariser.NAME)
@Designate(ocd = CosineRegulariser.Config.class)
public final class CosineRegulariser implements LocalObjective {
    static final String PID = "org.fedklpr.loss.cosine";
    static final String NAME = "cosine-reg";

    @ObjectClassDefinition(name = "FedKLPR cosine feature regulariser (FedCAPR)")
    @interface Config {
        @AttributeDefinition(description = "Weight of the term", min = "0")
        double weight() default 0.13;

        @AttributeDefinition(description = "The first round (1-based) whose objective has the term", min = "1")
        int fromRound() default 2;
    }

    private final float weight;
    private final int fromRound;

    @Activate
    public CosineRegulariser(Config config) {
        this(config.weight(), config.fromRound());
    }

    CosineRegulariser(double weight, int fromRound) {
        if (fromRound < 1) {
            throw new IllegalArgumentException(PID + ": fromRound is a 1-based round, got " + fromRound);
        }
        this.weight = (float) weight;
        this.fromRound = fromRound;
    }

    @Override
    public boolean needsGlobalEmbeddings() {
        return true;
    }

    @Override
    public boolean activeInRound(int round) {
        return round >= fromRound;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray cosines = normalised(step.embeddings()).mul(normalised(step.globalEmbeddings())).sum(new int[] {1});
        return cosines.neg().add(1).mean().mul(weight);
    }

    private static NDArray normalised(NDArray rows) {
        return rows.div(rows.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt());
    }
}
