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
        return codecs.initial().decode(codecs.initial().encode(client.initialModel(spec, scope), null)).state();
    }

    @Override
    public Exchanged<ClientUpdate> train(TrainingTask task) {
        byte[] down = codecs.down().encode(task.global(), task.globalMask());
        TrainingTask received = task.withGlobal(codecs.down().decode(down).state());
        ClientUpdate sent = client.train(received);
        byte[] up = codecs.up().encode(sent.state(), sent.mask());
        Payload arrived = codecs.up().decode(up);
        return new Exchanged<>(sent.with(arrived.state(), arrived.mask()), down.length, up.length);
    }

    @Override
    public Exchanged<ClientEvaluation> evaluate(int round, ModelState global) {
        byte[] down = codecs.down().encode(global, null);
        return new Exchanged<>(client.evaluate(round, codecs.down().decode(down).state()), down.length, 0);
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
