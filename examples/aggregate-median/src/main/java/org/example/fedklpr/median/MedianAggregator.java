package org.example.fedklpr.median;

import java.util.Arrays;
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
 * clients sending outliers, at the price of ignoring sample counts. With an even number of clients
 * the two middle values are averaged. Heads stay local.
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
            float[][] values = new float[updates.size()][];
            for (int k = 0; k < updates.size(); k++) {
                Tensor tensor = updates.get(k).state().tensor(entry.getKey());
                if (!tensor.sameShape(entry.getValue())) {
                    throw new FedklprException("median: tensor '" + entry.getKey() + "' of client "
                            + updates.get(k).clientId() + " has shape " + tensor.shapeText() + ", expected "
                            + entry.getValue().shapeText());
                }
                values[k] = tensor.values();
            }
            float[] median = new float[entry.getValue().size()];
            for (int i = 0; i < median.length; i++) {
                for (int k = 0; k < column.length; k++) {
                    column[k] = values[k][i];
                }
                Arrays.sort(column);
                int middle = column.length / 2;
                median[i] = column.length % 2 == 1 ? column[middle] : (column[middle - 1] + column[middle]) / 2;
            }
            next.put(entry.getKey(), new Tensor(entry.getValue().shape(), median));
        }
        Map<String, Double> weights = new HashMap<>();
        updates.forEach(update -> weights.put(update.clientId(), 1.0 / updates.size()));
        return new AggregationResult(global.with(ModelState.of(next)), weights);
    }
}
