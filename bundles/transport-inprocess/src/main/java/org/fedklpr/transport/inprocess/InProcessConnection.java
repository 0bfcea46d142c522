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
import org.fedklpr.api.transport.WireCodec.Payload;

/**
 * A client in this JVM behind a wire boundary: models are encoded on one side and decoded on the
 * other, so the client never shares an array with the coordinator and the byte counts are those a
 * network would carry. Counted: the encoded model payloads (task and evaluation metadata, a few
 * dozen bytes, are not).
 */
final class InProcessConnection implements ClientConnection {
    private final FederatedClient client;
    private final WireCodec codec;
    private final String clientId;

    InProcessConnection(String clientId, FederatedClient client, WireCodec codec) {
        this.clientId = clientId;
        this.client = client;
        this.codec = codec;
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
        return codec.decode(codec.encode(client.initialModel(spec, scope), null)).state();
    }

    @Override
    public Exchanged<ClientUpdate> train(TrainingTask task) {
        byte[] down = codec.encode(task.global(), task.globalMask());
        TrainingTask received = task.withGlobal(codec.decode(down).state());
        ClientUpdate sent = client.train(received);
        byte[] up = codec.encode(sent.state(), sent.mask());
        Payload arrived = codec.decode(up);
        return new Exchanged<>(sent.with(arrived.state(), arrived.mask()), down.length, up.length);
    }

    @Override
    public Exchanged<ClientEvaluation> evaluate(int round, ModelState global) {
        byte[] down = codec.encode(global, null);
        return new Exchanged<>(client.evaluate(round, codec.decode(down).state()), down.length, 0);
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
