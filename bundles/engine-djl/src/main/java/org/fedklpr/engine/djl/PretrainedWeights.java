package org.fedklpr.engine.djl;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.files.NpzReader;

import ai.djl.nn.Parameter;

/**
 * Backbone weights from a local {@code .npz} file, under either this engine's names
 * ({@code backbone.layer1.b0.conv1.weight}) or torchvision's ({@code layer1.0.conv1.weight}, as
 * {@code torchvision.models.resnet50().state_dict()} names them, optionally behind DataParallel's
 * {@code module.}). The ImageNet classifier ({@code fc.*}) and integer entries are ignored. Every
 * backbone parameter of the network must be in the file with the same shape; the first that is
 * not is named in the error.
 */
final class PretrainedWeights {
    private static final Logger LOG = Logger.getLogger(PretrainedWeights.class.getName());
    private static final String BACKBONE = "backbone.";

    private PretrainedWeights() {
    }

    /** The backbone part of the network's state, read from {@code file}. */
    static ModelState load(Path file, Map<String, Parameter> network, String architecture) {
        NpzReader.Contents contents = NpzReader.read(file, "pretrained weights");
        Map<String, Tensor> byOurName = new LinkedHashMap<>();
        int unused = 0;
        for (Map.Entry<String, Tensor> entry : contents.arrays().entrySet()) {
            String name = ourName(entry.getKey());
            if (network.containsKey(name)) {
                byOurName.put(name, entry.getValue());
            } else {
                unused++;
            }
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : network.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(BACKBONE)) {
                continue;
            }
            Tensor tensor = byOurName.get(name);
            int[] expected = DjlTensors.shape(entry.getValue().getArray().getShape());
            if (tensor == null) {
                throw new FedklprException("pretrained weights " + file + " lack " + name + " (torchvision name "
                        + torchvisionName(name) + ", shape " + Arrays.toString(expected) + ") that the "
                        + architecture + " backbone needs");
            }
            if (!Arrays.equals(tensor.shape(), expected)) {
                throw new FedklprException("pretrained weights " + file + ": " + name + " has shape "
                        + tensor.shapeText() + " but the " + architecture + " backbone needs "
                        + Arrays.toString(expected));
            }
            state.put(name, tensor);
        }
        LOG.info(() -> "loaded " + state.size() + " backbone tensors from " + file + "; ignored "
                + contents.ignored().size() + " non-float entries");
        if (unused > 0) {
            int ignoredFloats = unused;
            LOG.info(() -> ignoredFloats + " float arrays of " + file + " are not part of the " + architecture
                    + " network (an ImageNet classifier, for instance) and were ignored");
        }
        return ModelState.of(state);
    }

    /** {@code layer1.0.downsample.1.running_mean} → {@code backbone.layer1.b0.downsampleBn.runningMean}. */
    static String ourName(String fileName) {
        String name = fileName.startsWith("module.") ? fileName.substring("module.".length()) : fileName;
        if (name.startsWith(BACKBONE)) {
            return name;
        }
        name = name.replaceAll("^layer(\\d)\\.(\\d+)\\.", "layer$1.b$2.")
                .replace("downsample.0.", "downsampleConv.")
                .replace("downsample.1.", "downsampleBn.");
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String module = name.substring(0, dot);
            String leaf = module.substring(module.lastIndexOf('.') + 1);
            if (leaf.startsWith("bn") || leaf.equals("downsampleBn")) {
                String suffix = switch (name.substring(dot + 1)) {
                    case "weight" -> "gamma";
                    case "bias" -> "beta";
                    case "running_mean" -> "runningMean";
                    case "running_var" -> "runningVar";
                    default -> name.substring(dot + 1);
                };
                name = module + "." + suffix;
            }
        }
        return BACKBONE + name;
    }

    /** The inverse of {@link #ourName}, for messages and for writing files torchvision users know. */
    static String torchvisionName(String ourName) {
        String name = ourName.startsWith(BACKBONE) ? ourName.substring(BACKBONE.length()) : ourName;
        name = name.replaceAll("^layer(\\d)\\.b(\\d+)\\.", "layer$1.$2.")
                .replace("downsampleConv.", "downsample.0.")
                .replace("downsampleBn.", "downsample.1.");
        return name.replaceAll("\\.gamma$", ".weight").replaceAll("\\.beta$", ".bias")
                .replaceAll("\\.runningMean$", ".running_mean").replaceAll("\\.runningVar$", ".running_var");
    }
}
