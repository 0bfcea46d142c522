package org.fedklpr.engine.djl;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.federation.NetworkSpec;

/** The backbones this engine builds, by the name configuration uses. */
final class Architectures {
    /** Re-ID backbones keep the last stage at full resolution (stride 1). */
    private static final int LAST_STRIDE = 1;
    private static final Map<String, Supplier<Backbone>> BACKBONES = Map.of(
            TinyCnnBackbone.NAME, () -> new TinyCnnBackbone(1),
            TinyCnnBackbone.WIDE_NAME, () -> new TinyCnnBackbone(2),
            ResNetBackbone.Depth.RESNET18.architecture, () -> new ResNetBackbone(ResNetBackbone.Depth.RESNET18, LAST_STRIDE),
            ResNetBackbone.Depth.RESNET34.architecture, () -> new ResNetBackbone(ResNetBackbone.Depth.RESNET34, LAST_STRIDE),
            ResNetBackbone.Depth.RESNET50.architecture, () -> new ResNetBackbone(ResNetBackbone.Depth.RESNET50, LAST_STRIDE));

    private Architectures() {
    }

    /** The spec with a 0x0 input size replaced by the architecture's usual one. */
    static NetworkSpec withUsualInputSize(NetworkSpec spec) {
        if (spec.inputHeight() > 0) {
            return spec;
        }
        Backbone backbone = backbone(spec.architecture()); // an unknown name fails here, with the known ones
        return spec.withInputSize(backbone.usualInputHeight(), backbone.usualInputWidth());
    }

    static List<String> names() {
        return BACKBONES.keySet().stream().sorted().toList();
    }

    static Backbone backbone(String architecture) {
        Supplier<Backbone> factory = BACKBONES.get(architecture);
        if (factory == null) {
            throw new FedklprException("unknown architecture '" + architecture + "'; this engine builds "
                    + String.join(", ", names()));
        }
        return factory.get();
    }
}
