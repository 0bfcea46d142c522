package org.fedklpr.wire;

import org.fedklpr.api.Names;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;
import org.osgi.service.component.annotations.Component;

/** The dense format as a service ({@code fedklpr.name=dense}). */
@Component(property = Names.SERVICE_NAME + "=" + DenseCodec.NAME)
public final class DenseWireCodec implements WireCodec {
    @Override
    public byte[] encode(ModelState state, ModelMask mask) {
        return DenseCodec.encode(state, mask);
    }

    @Override
    public Payload decode(byte[] bytes) {
        return DenseCodec.decode(bytes);
    }

    @Override
    public Carried carry(ModelState state, ModelMask mask) {
        return TensorByTensor.carry(state, mask, DenseCodec::encode, DenseCodec::decode);
    }
}
