package org.fedklpr.engine.djl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;

import ai.djl.nn.Parameter;

/**
 * Seeded initial weights computed in Java, so that equal seeds give bit-identical networks whatever
 * the native engine's random state: He-normal for convolution and embedding weights, N(0, 0.001)
 * for the identity classifier (as in the re-ID baselines), zero biases, unit-scale batch norms.
 * Each tensor draws from its own stream, seeded by the network seed and the tensor's name.
 */
final class WeightInitialisation {
    private static final double HEAD_STD = 0.001;

    private WeightInitialisation() {
    }

    static ModelState initialState(Map<String, Parameter> parameters, long seed) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            int[] shape = DjlTensors.shape(parameter.getArray().getShape());
            tensors.put(name, new Tensor(shape, initialValues(name, parameter.getType(), shape, seed)));
        });
        return ModelState.of(tensors);
    }

    private static float[] initialValues(String name, Parameter.Type type, int[] shape, long seed) {
        float[] values = new float[Math.toIntExact(Tensor.elementCount(shape))];
        switch (type) {
            case WEIGHT -> {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
                double std = name.startsWith(Names.HEAD_PREFIX) ? HEAD_STD : Math.sqrt(2.0 / fanIn(shape));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (gaussian(random) * std);
                }
            }
            case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(values, 1f);
            default -> {
                // biases, batch-norm shifts and running means start at zero
            }
        }
        return values;
    }

    private static long fanIn(int[] shape) {
        long fan = 1;
        for (int i = 1; i < shape.length; i++) {
            fan *= shape[i];
        }
        return Math.max(1, fan);
    }

    /** Box-Muller, because SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
