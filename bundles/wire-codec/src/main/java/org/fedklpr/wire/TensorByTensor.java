package org.fedklpr.wire;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec.Carried;
import org.fedklpr.api.transport.WireCodec.Payload;

/**
 * {@link org.fedklpr.api.transport.WireCodec#carry} for the formats here, one tensor at a time. Every
 * format here is a fixed frame (magic, version, flags, tensor count, checksum) around one section per
 * tensor that depends on that tensor and its mask alone, so encoding each tensor as a payload of its
 * own gives the same values, and the whole payload's length is the sum of the one-tensor payloads'
 * less all frames but one. The largest array ever held is one tensor's encoding.
 */
final class TensorByTensor {
    private TensorByTensor() {
    }

    static Carried carry(ModelState state, ModelMask mask, BiFunction<ModelState, ModelMask, byte[]> encode,
            Function<byte[], Payload> decode) {
        ModelMask noTensors = mask == null ? null : ModelMask.of(Map.of());
        long frame = encode.apply(ModelState.empty(), noTensors).length;
        long bytes = frame;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, BitSet> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            BitSet bits = mask == null ? null : mask.tensors().get(entry.getKey());
            byte[] one = encode.apply(ModelState.of(Map.of(entry.getKey(), entry.getValue())),
                    bits == null ? noTensors : ModelMask.of(Map.of(entry.getKey(), bits)));
            bytes += one.length - frame;
            Payload arrived = decode.apply(one);
            tensors.putAll(arrived.state().tensors());
            if (arrived.mask() != null) {
                kept.putAll(arrived.mask().tensors());
            }
        }
        return new Carried(new Payload(ModelState.of(tensors), mask == null ? null : ModelMask.of(kept)), bytes);
    }
}
