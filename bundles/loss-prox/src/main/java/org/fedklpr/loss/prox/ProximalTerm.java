package org.fedklpr.loss.prox;

import java.util.Map;

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
 * FedProx's proximal term (Li et al. 2020): {@code μ/2 · Σ ||w − w_g||²} over the trainable
 * parameters that the round's global model holds (the local identity head has no global
 * counterpart and is left free).
 */
@Component(configurationPid = ProximalTerm.PID, property = Names.SERVICE_NAME + "=prox")
@Designate(ocd = ProximalTerm.Config.class)
public final class ProximalTerm implements LocalObjective {
    static final String PID = "org.fedklpr.loss.prox";

    @ObjectClassDefinition(name = "FedKLPR FedProx proximal term")
    @interface Config {
        @AttributeDefinition(description = "Proximal weight μ", min = "0")
        double mu() default 0.01;
    }

    private final float mu;

    @Activate
    public ProximalTerm(Config config) {
        this(config.mu());
    }

    ProximalTerm(double mu) {
        if (!(mu >= 0)) {
            throw new IllegalArgumentException(PID + ": mu must not be negative, got " + mu);
        }
        this.mu = (float) mu;
    }

    @Override
    public boolean needsGlobalParameters() {
        return true;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray sum = null;
        for (Map.Entry<String, NDArray> entry : step.parameters().entrySet()) {
            NDArray global = step.globalParameters().get(entry.getKey());
            if (global != null) {
                // A result belongs to its first operand's manager, here the network's: handed to the
                // step's manager, this step's model-sized temporaries are freed when the step ends.
                NDArray difference = entry.getValue().sub(global);
                if (step.labels() != null) {
                    difference.attach(step.labels().getManager());
                }
                NDArray squared = difference.square().sum();
                sum = sum == null ? squared : sum.add(squared);
            }
        }
        if (sum == null) {
            throw new IllegalStateException("the proximal term found no parameter with a global counterpart");
        }
        return sum.mul(mu / 2);
    }
}
