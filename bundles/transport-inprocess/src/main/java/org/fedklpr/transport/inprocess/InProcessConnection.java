package org.fedklpr.transport.inprocess;

import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Exchanged;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.api.transport.WireCodec.Carried;

/**
 * A client in this JVM behind a wire boundary: models are encoded on one side and decoded on the
 * other, so the client never shares an array with the coordinator and the byte counts are those a
 * network would carry. The codec {@linkplain WireCodec#carry carries} them, so that no payload is held
 * whole: exactly what encoding and decoding would give. Counted: the encoded model payloads (task and evaluation metadata, a few
 * dozen bytes, are not).
 */
final class InProcessConnection implements ClientConnection {
    private final FederatedClient client;
    private final Codecs codecs;
    private final String clientId;

    /**
     * The codecs of each direction: the starting model the first client builds ({@code initial}), the
     * global model going down each round, the updates coming up.
     */
    record Codecs(WireCodec initial, WireCodec down, WireCodec up) {
    }

    InProcessConnection(String clientId, FederatedClient client, Codecs codecs) {
        this.clientId = clientId;
        this.client = client;
        this.codecs = codecs;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public ClientInfo info() {
        return client.info();
    }

    @Override
    public void prepare(NetworkSpec network, int labelOffset) {
        client.prepare(network, labelOffset);
    }

    @Override
    public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
        return codecs.initial().carry(client.initialModel(spec, scope), null).payload().state();
    }

    @Override
    public Exchanged<ClientUpdate> train(TrainingTask task) {
        Carried down = codecs.down().carry(task.global(), task.globalMask());
        ClientUpdate sent = client.train(task.withGlobal(down.payload().state()));
        Carried up = codecs.up().carry(sent.state(), sent.mask());
        return new Exchanged<>(sent.with(up.payload().state(), up.payload().mask()), down.bytes(), up.bytes());
    }

    @Override
    public Exchanged<ClientEvaluation> evaluate(int round, ModelState global) {
        Carried down = codecs.down().carry(global, null);
        return new Exchanged<>(client.evaluate(round, down.payload().state()), down.bytes(), 0);
    }

    @Override
    public void checkpoint(String experiment, int round) {
        client.checkpoint(experiment, round);
    }

    @Override
    public void restore(String experiment, int round) {
        client.restore(experiment, round);
    }

    @Override
    public void close() {
        client.close();
    }
}
