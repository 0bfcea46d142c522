package org.example.fedklpr.median;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.osgi.service.component.annotations.Component;

/**
 * Coordinate-wise median of the clients' backbones (Yin et al. 2018): robust to a minority of
 * clients sending outliers, at the price of ignoring sample counts. With an even number of values
 * the two middle ones are averaged. Heads stay local.
 *
 * <p>Pruning: a client that prunes sends a mask with its update, and an element its mask drops is
 * not a value of that client (it travels as 0). The median of an element is taken over the clients
 * that kept it; an element no client kept becomes 0, so it stays pruned, as the platform's masked
 * averages do.
 */
@Component(property = Names.SERVICE_NAME + "=median")
public final class MedianAggregator implements Aggregator {

    @Override
    public TensorScope scope() {
        return TensorScope.BACKBONE;
    }

    @Override
    public AggregationResult aggregate(ModelState global, List<ClientUpdate> updates) {
        Map<String, Tensor> next = new LinkedHashMap<>();
        ModelState first = updates.get(0).state().select(scope());
        float[] column = new float[updates.size()];
        for (Map.Entry<String, Tensor> entry : first.tensors().entrySet()) {
            String name = entry.getKey();
            float[][] values = new float[updates.size()][];
            BitSet[] kept = new BitSet[updates.size()];
            for (int k = 0; k < updates.size(); k++) {
                ClientUpdate update = updates.get(k);
                Tensor tensor = update.state().tensor(name);
                if (!tensor.sameShape(entry.getValue())) {
                    throw new FedklprException("median: tensor '" + name + "' of client " + update.clientId()
                            + " has shape " + tensor.shapeText() + ", expected " + entry.getValue().shapeText());
                }
                values[k] = tensor.values();
                kept[k] = update.mask() == null ? null : update.mask().tensors().get(name);
            }
            float[] median = new float[entry.getValue().size()];
            for (int i = 0; i < median.length; i++) {
                int count = 0;
                for (int k = 0; k < values.length; k++) {
                    if (kept[k] == null || kept[k].get(i)) {
                        column[count++] = values[k][i];
                    }
                }
                median[i] = median(column, count);
            }
            next.put(name, new Tensor(entry.getValue().shape(), median));
        }
        Map<String, Double> weights = new HashMap<>();
        updates.forEach(update -> weights.put(update.clientId(), 1.0 / updates.size()));
        return new AggregationResult(global.with(ModelState.of(next)), weights);
    }

    /** The median of {@code column[0, count)}; 0 for none. */
    private static float median(float[] column, int count) {
        if (count == 0) {
            return 0;
        }
        Arrays.sort(column, 0, count);
        int middle = count / 2;
        return count % 2 == 1 ? column[middle] : (column[middle - 1] + column[middle]) / 2;
    }
}
