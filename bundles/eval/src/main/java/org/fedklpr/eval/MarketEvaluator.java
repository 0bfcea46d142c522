package org.fedklpr.eval;

import org.fedklpr.api.Names;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.api.eval.ReidEvaluator;
import org.fedklpr.api.eval.ReidMetrics;
import org.osgi.service.component.annotations.Component;

/** The Market-1501 protocol as a service ({@code fedklpr.name=market1501}). */
@Component(property = Names.SERVICE_NAME + "=market1501")
public final class MarketEvaluator implements ReidEvaluator {
    @Override
    public ReidMetrics evaluate(FeatureSet query, FeatureSet gallery) {
        return MarketProtocol.evaluate(query, gallery);
    }
}
