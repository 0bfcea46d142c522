package org.fedklpr.wire;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;
import org.osgi.service.component.annotations.Component;

/** The sparse layout with int8 values, as a service ({@code fedklpr.name=int8}). */
@Component(property = Names.SERVICE_NAME + "=int8")
public final class Int8WireCodec implements WireCodec {
    @Override
    public byte[] encode(ModelState state, ModelMask mask) {
        return SparseCodec.INT8.encode(state, mask);
    }

    @Override
    public Payload decode(byte[] bytes) {
        return SparseCodec.INT8.decode(bytes);
    }

    @Override
    public Carried carry(ModelState state, ModelMask mask) {
        return TensorByTensor.carry(state, mask, SparseCodec.INT8::encode, SparseCodec.INT8::decode);
    }
}
