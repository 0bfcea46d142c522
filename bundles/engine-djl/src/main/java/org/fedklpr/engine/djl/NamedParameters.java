package org.fedklpr.engine.djl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The parameters of a block tree under dotted names that follow the tree
 * ({@code backbone.conv1.weight}, {@code neck.runningMean}, {@code head.weight}). DJL numbers child
 * blocks ({@code 01backbone}); the numbers are dropped so names do not change when a block gains a
 * sibling.
 */
final class NamedParameters {
    private NamedParameters() {
    }

    static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        collect(root, "", named);
        return Collections.unmodifiableMap(named);
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> named) {
        for (Pair<String, Parameter> parameter : block.getDirectParameters()) {
            named.put(prefix + parameter.getKey(), parameter.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), prefix + child.getKey().replaceFirst("^\\d+", "") + ".", named);
        }
    }
}
