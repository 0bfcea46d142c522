package org.fedklpr.prune.magnitude;

import java.util.List;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.pruning.Pruner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Magnitude pruning as a service ({@code fedklpr.name=magnitude}), configured under {@value #PID}. */
@Component(configurationPid = MagnitudePruner.PID, property = Names.SERVICE_NAME + "=magnitude")
@Designate(ocd = MagnitudePruner.Config.class)
public final class MagnitudePruner implements Pruner {
    static final String PID = "org.fedklpr.prune.magnitude";

    @ObjectClassDefinition(name = "FedKLPR magnitude pruner")
    @interface Config {
        @AttributeDefinition(description = "global: one threshold over all prunable weights; layer: the same "
                + "ratio in every layer; lamp: one threshold over layer-adaptive (LAMP) scores",
                options = {@Option(value = "global"), @Option(value = "layer"), @Option(value = "lamp")})
        String scope() default "global";
    }

    private volatile String scope;

    @Activate
    public MagnitudePruner(Config config) {
        modified(config);
    }

    @Modified
    void modified(Config config) {
        if (!List.of("global", "layer", "lamp").contains(config.scope())) {
            throw new IllegalArgumentException(PID + ": scope must be 'global', 'layer' or 'lamp', got '"
                    + config.scope() + "'");
        }
        scope = config.scope();
    }

    @Override
    public ModelMask prune(ModelState state, double ratio, ModelMask previous) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("pruning ratio must be in [0, 1), got " + ratio);
        }
        return switch (scope) {
            case "layer" -> MagnitudePruning.perLayer(state, ratio, previous);
            case "lamp" -> MagnitudePruning.lamp(state, ratio, previous);
            default -> MagnitudePruning.global(state, ratio, previous);
        };
    }
}
