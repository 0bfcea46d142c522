package org.fedklpr.wire;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;
import org.osgi.service.component.annotations.Component;

/** The sparse layout with fp16 values, as a service ({@code fedklpr.name=fp16}). */
@Component(property = Names.SERVICE_NAME + "=fp16")
public final class Fp16WireCodec implements WireCodec {
    @Override
    public byte[] encode(ModelState state, ModelMask mask) {
        return SparseCodec.FLOAT16.encode(state, mask);
    }

    @Override
    public Payload decode(byte[] bytes) {
        return SparseCodec.FLOAT16.decode(bytes);
    }

    @Override
    public Carried carry(ModelState state, ModelMask mask) {
        return TensorByTensor.carry(state, mask, SparseCodec.FLOAT16::encode, SparseCodec.FLOAT16::decode);
    }
}
