package org.fedklpr.engine.djl;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.fedklpr.api.FedklprException;

import ai.djl.nn.Block;

/** The backbones this engine builds, by the name configuration uses. */
final class Architectures {
    private static final Map<String, Supplier<Block>> BACKBONES = Map.of(
            TinyCnnBackbone.NAME, TinyCnnBackbone::new);

    private Architectures() {
    }

    static List<String> names() {
        return List.copyOf(BACKBONES.keySet());
    }

    static Block backbone(String architecture) {
        Supplier<Block> factory = BACKBONES.get(architecture);
        if (factory == null) {
            throw new FedklprException("unknown architecture '" + architecture + "'; this engine builds "
                    + String.join(", ", names()));
        }
        return factory.get();
    }
}
