package org.fedklpr.wire;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;
import org.osgi.service.component.annotations.Component;

/** The sparse format as a service ({@code fedklpr.name=sparse}). */
@Component(property = Names.SERVICE_NAME + "=sparse")
public final class SparseWireCodec implements WireCodec {
    @Override
    public byte[] encode(ModelState state, ModelMask mask) {
        return SparseCodec.FLOAT32.encode(state, mask);
    }

    @Override
    public Payload decode(byte[] bytes) {
        return SparseCodec.FLOAT32.decode(bytes);
    }

    @Override
    public Carried carry(ModelState state, ModelMask mask) {
        return TensorByTensor.carry(state, mask, SparseCodec.FLOAT32::encode, SparseCodec.FLOAT32::decode);
    }
}
