package org.fedklpr.compress.topk;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedklpr.api.Names;
import org.fedklpr.api.compression.UpdateCompression;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Top-k sparsification with error feedback ({@code fedklpr.name=topk}, PID {@value #PID}): in
 * every tensor the {@code fraction} of elements with the largest magnitude of (difference +
 * residual) travel, at least one per tensor; the others stay behind as the residual and are added
 * to the next round's difference, so nothing is dropped for good, only late (Stich et al., 2018;
 * Lin et al.'s deep gradient compression selects per layer too). Per tensor rather than over the
 * whole model, so that no layer is starved by the others. Tensors of rank below 2 (biases,
 * batch-norm scales, shifts and running statistics) travel whole: they are a fraction of a percent
 * of the values, and a statistic such as a running variance must not be sent in part with the rest
 * carried over (the variance a site sends would then be its own plus a residual, and can turn
 * negative). Ties at the threshold go to the lower index, so the choice is deterministic.
 */
@Component(configurationPid = TopKCompression.PID, property = Names.SERVICE_NAME + "=" + TopKCompression.NAME)
@Designate(ocd = TopKCompression.Config.class)
public final class TopKCompression implements UpdateCompression {
    static final String NAME = "topk";
    static final String PID = "org.fedklpr.compress.topk";

    @ObjectClassDefinition(name = "FedKLPR top-k update compression",
            description = "Which fraction of each tensor's update travels; the rest is carried to the next round")
    @interface Config {
        @AttributeDefinition(description = "Fraction of each tensor's elements sent, in (0, 1]", min = "0",
                max = "1")
        double fraction() default 0.1;
    }

    private volatile double fraction;

    @Activate
    public TopKCompression(Config config) {
        this(config.fraction());
    }

    TopKCompression(double fraction) {
        this.fraction = checked(fraction);
    }

    @Modified
    void modified(Config config) {
        fraction = checked(config.fraction());
    }

    private static double checked(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException(PID + ":fraction=" + fraction + ": expected a fraction in (0, 1]");
        }
        return fraction;
    }

    @Override
    public Compressed compress(ModelState correctedDifference) {
        double share = fraction;
        Map<String, Tensor> sent = new LinkedHashMap<>();
        Map<String, Tensor> residual = new LinkedHashMap<>();
        Map<String, BitSet> travelling = new LinkedHashMap<>();
        correctedDifference.tensors().forEach((name, tensor) -> {
            float[] values = tensor.values();
            if (tensor.shape().length < 2) {
                sent.put(name, tensor);
                residual.put(name, new Tensor(tensor.shape(), new float[values.length]));
                return;
            }
            BitSet kept = largest(values, keptCount(values.length, share));
            float[] send = new float[values.length];
            float[] left = values.clone();
            for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                send[i] = values[i];
                left[i] = 0;
            }
            sent.put(name, new Tensor(tensor.shape(), send));
            residual.put(name, new Tensor(tensor.shape(), left));
            travelling.put(name, kept);
        });
        return new Compressed(ModelState.of(sent), ModelMask.of(travelling), ModelState.of(residual));
    }

    /** k of n: the fraction rounded up, at least one element of a non-empty tensor. */
    static int keptCount(int elements, double fraction) {
        return elements == 0 ? 0 : (int) Math.max(1, Math.min(elements, Math.ceil(fraction * elements)));
    }

    /** The {@code k} elements of largest magnitude; among equal magnitudes at the threshold, the first. */
    static BitSet largest(float[] values, int k) {
        BitSet kept = new BitSet(values.length);
        if (k == 0) {
            return kept;
        }
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        float threshold = sorted[values.length - k];
        int above = 0;
        for (int i = 0; i < values.length; i++) {
            if (magnitudes[i] > threshold) {
                kept.set(i);
                above++;
            }
        }
        for (int i = 0; i < values.length && above < k; i++) {
            if (magnitudes[i] == threshold) {
                kept.set(i);
                above++;
            }
        }
        return kept;
    }
}
