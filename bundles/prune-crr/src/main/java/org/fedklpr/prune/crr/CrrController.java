package org.fedklpr.prune.crr;

import org.fedklpr.api.Names;
import org.fedklpr.api.pruning.PruningController;
import org.fedklpr.api.pruning.PruningDecision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Cross-round recovery as a service ({@code fedklpr.name=crr}), configured under {@value #PID}. */
@Component(configurationPid = CrrController.PID, property = Names.SERVICE_NAME + "=crr")
@Designate(ocd = CrrController.Config.class)
public final class CrrController implements PruningController {
    static final String PID = "org.fedklpr.prune.crr";

    @ObjectClassDefinition(name = "FedKLPR cross-round recovery")
    @interface Config {
        @AttributeDefinition(description = "Rounds a client trains before its first cut", min = "0")
        int warmupRounds() default 1;

        @AttributeDefinition(description = "Pruning ratio of a client's first cut", min = "0", max = "0.99")
        double initialRatio() default 0.2;

        @AttributeDefinition(description = "Increase of the ratio per round", min = "0", max = "1")
        double step() default 0.1;

        @AttributeDefinition(description = "Ratio the steps stop at", min = "0", max = "0.99")
        double targetRatio() default 0.6;

        @AttributeDefinition(description = "Drop of the validation signal (probe accuracy) that triggers recovery",
                min = "0")
        double tolerance() default 0.05;

        @AttributeDefinition(description = "Rounds the ratio stays frozen after a recovery", min = "0")
        int holdRounds() default 2;

        @AttributeDefinition(description = "After a recovery, go one step below the ratio before the failed step")
        boolean stepBackOnRecovery() default false;
    }

    private volatile CrossRoundRecovery policy;

    /** Also the "CRR off" ablation: a schedule that only steps is CRR with an infinite tolerance. */
    @Activate
    public CrrController(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        policy = new CrossRoundRecovery(config.warmupRounds(), config.initialRatio(), config.step(), config.targetRatio(), config.tolerance(),
                config.holdRounds(), config.stepBackOnRecovery());
    }

    @Override
    public PruningDecision decide(PruningHistory history, int round) {
        return policy.decide(history);
    }
}
