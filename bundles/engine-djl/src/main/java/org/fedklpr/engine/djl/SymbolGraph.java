package org.fedklpr.engine.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * Writes a network described by DJL blocks as one MXNet graph (the symbol JSON MXNet reads), so
 * that MXNet runs it as a whole ({@link CompiledGraph}) instead of operator by operator.
 *
 * <p>Every weight of the graph is a variable named {@code p0}, {@code p1}, ... in the order of
 * {@link #parameters()}: the graph runs on the blocks' own parameter arrays, so names, initial
 * values, pretrained weights and masks stay those of the blocks. The operators and their settings
 * are the ones DJL's blocks use (batch norm: epsilon 1e-5, momentum 0.9, learned scale), so the
 * graph computes what the blocks compute; {@code ResNetTest} compares the two.
 */
final class SymbolGraph {
    /** The graph's single input. */
    static final String INPUT = "data";

    private final StringBuilder nodes = new StringBuilder();
    private final List<Integer> variables = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private int nodeCount;

    /** The input images: (N, 3, H, W). */
    int input() {
        return node("null", INPUT, null);
    }

    /** A bias-free square convolution with the padding that keeps the size at stride 1. */
    int convolution(Conv2d block, int input, int kernel, int stride, int filters) {
        int weight = parameter(block.getParameters().get("weight"));
        int padding = kernel / 2;
        return node("Convolution", null, String.format(Locale.ROOT,
                "\"kernel\":\"(%d, %d)\",\"stride\":\"(%d, %d)\",\"pad\":\"(%d, %d)\",\"num_filter\":\"%d\","
                        + "\"no_bias\":\"True\"", kernel, kernel, stride, stride, padding, padding, filters),
                input, weight);
    }

    /** Batch norm over the channel axis, with DJL's defaults; its running statistics are updated in training. */
    int batchNorm(BatchNorm block, int input) {
        int gamma = parameter(block.getParameters().get("gamma"));
        int beta = parameter(block.getParameters().get("beta"));
        int mean = parameter(block.getParameters().get("runningMean"));
        int variance = parameter(block.getParameters().get("runningVar"));
        return node("BatchNorm", null, "\"eps\":\"1e-05\",\"momentum\":\"0.9\",\"fix_gamma\":\"False\",\"axis\":\"1\"",
                input, gamma, beta, mean, variance);
    }

    int relu(int input) {
        return node("Activation", null, "\"act_type\":\"relu\"", input);
    }

    int maxPool(int input, int kernel, int stride, int padding) {
        return node("Pooling", null, String.format(Locale.ROOT,
                "\"kernel\":\"(%d, %d)\",\"stride\":\"(%d, %d)\",\"pad\":\"(%d, %d)\",\"pool_type\":\"max\"",
                kernel, kernel, stride, stride, padding, padding), input);
    }

    int add(int left, int right) {
        return node("elemwise_add", null, null, left, right);
    }

    /** Global average pooling: (N, C, H, W) to (N, C). */
    int spatialMean(int input) {
        return node("mean", null, "\"axis\":\"(2, 3)\"", input);
    }

    /** The weights in the order of the graph's variables {@code p0}, {@code p1}, ... */
    List<Parameter> parameters() {
        return List.copyOf(parameters);
    }

    /**
     * The symbol JSON with {@code output} as its only head. It claims MXNet 1.9.0 (10900), the version
     * the bundled native library reports: a higher one makes MXNet warn at every load.
     */
    String json(int output) {
        return "{\"nodes\":[" + nodes + "],\"arg_nodes\":" + variables + ",\"heads\":[[" + output
                + ",0,0]],\"attrs\":{\"mxnet_version\":[\"int\",10900]}}";
    }

    static String variableName(int parameterIndex) {
        return "p" + parameterIndex;
    }

    private int parameter(Parameter parameter) {
        if (parameter == null) {
            throw new IllegalStateException("a block of the graph lacks a parameter it should have");
        }
        parameters.add(parameter);
        return node("null", variableName(parameters.size() - 1), null);
    }

    private int node(String op, String name, String attributes, int... inputs) {
        if (nodeCount > 0) {
            nodes.append(',');
        }
        nodes.append("{\"op\":\"").append(op).append("\",\"name\":\"")
                .append(name != null ? name : op.toLowerCase(Locale.ROOT) + nodeCount).append('"');
        if (attributes != null) {
            nodes.append(",\"attrs\":{").append(attributes).append('}');
        }
        nodes.append(",\"inputs\":[");
        for (int i = 0; i < inputs.length; i++) {
            nodes.append(i > 0 ? "," : "").append('[').append(inputs[i]).append(",0,0]");
        }
        nodes.append("]}");
        if (op.equals("null")) {
            variables.add(nodeCount);
        }
        return nodeCount++;
    }
}
