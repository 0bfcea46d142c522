package org.fedklpr.transport.inprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.List;
import java.util.Map;

import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.transport.Exchanged;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.wire.DenseWireCodec;
import org.fedklpr.wire.Fp16WireCodec;
import org.fedklpr.wire.Int8WireCodec;
import org.junit.jupiter.api.Test;

class InProcessConnectionTest {
    /** A client that answers with what it received plus one, remembering the array it got. */
    private static final class EchoClient implements FederatedClient {
        float[] received;

        @Override
        public ClientInfo info() {
            return new ClientInfo("echo", "none", 1, 1, 1, 1, 0);
        }

        @Override
        public void prepare(NetworkSpec network, int labelOffset) {
        }

        @Override
        public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
            return ModelState.of(Map.of("w", new Tensor(new int[] {3}, new float[] {0, 0, 0})));
        }

        @Override
        public ClientUpdate train(TrainingTask task) {
            received = task.global().tensor("w").values();
            float[] next = received.clone();
            for (int i = 0; i < next.length; i++) {
                next[i] += 1;
            }
            Tensor answer = new Tensor(task.global().tensor("w").shape(), next);
            return new ClientUpdate("echo", task.round(), ModelState.of(Map.of("w", answer)),
                    null, 5, Map.of("loss", 0.5));
        }

        @Override
        public ClientEvaluation evaluate(int round, ModelState global) {
            return new ClientEvaluation("echo", round, new ReidMetrics(1, 1, 1, 1, 1, 1, 0));
        }

        @Override
        public void checkpoint(String experiment, int round) {
        }

        @Override
        public void restore(String experiment, int round) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void modelsCrossAnEncodedBoundaryAndBytesAreThePayloadSizes() {
        DenseWireCodec codec = new DenseWireCodec();
        EchoClient client = new EchoClient();
        InProcessConnection connection = new InProcessConnection("echo", client,
                new InProcessConnection.Codecs(codec, codec, codec));
        float[] global = {1, 2, 3};
        ModelState state = ModelState.of(Map.of("w", new Tensor(new int[] {3}, global)));
        TrainingTask task = new TrainingTask(1, state, TensorScope.BACKBONE,
                new TrainingSettings(1, 2, "sgd", 0.1f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
        Exchanged<ClientUpdate> exchanged = connection.train(task);
        assertNotSame(global, client.received, "the client must get a decoded copy");
        assertArrayEquals(global, client.received);
        assertArrayEquals(new float[] {2, 3, 4}, exchanged.value().state().tensor("w").values());
        int payload = codec.encode(state, null).length;
        assertEquals(payload, exchanged.bytesDown());
        assertEquals(payload, exchanged.bytesUp(), "same shape, same encoded size");
        assertEquals(5, exchanged.value().samples());
        assertEquals(payload, connection.evaluate(1, state).bytesDown());
    }

    /**
     * Each direction with its own codec: the client trains from what the downlink codec delivered, the
     * aggregator gets what the uplink codec delivered, and each direction counts its own bytes.
     */
    @Test
    void eachDirectionUsesItsOwnCodec() {
        WireCodec dense = new DenseWireCodec();
        WireCodec half = new Fp16WireCodec();
        WireCodec int8 = new Int8WireCodec();
        EchoClient client = new EchoClient();
        InProcessConnection connection = new InProcessConnection("echo", client,
                new InProcessConnection.Codecs(dense, half, int8));
        float[] global = new float[64];
        for (int i = 0; i < global.length; i++) {
            global[i] = 0.001f + i * 0.1234567f;
        }
        ModelState state = ModelState.of(Map.of("w", new Tensor(new int[] {2, 32}, global)));
        TrainingTask task = new TrainingTask(1, state, TensorScope.BACKBONE,
                new TrainingSettings(1, 2, "sgd", 0.1f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
        Exchanged<ClientUpdate> exchanged = connection.train(task);
        float[] delivered = half.decode(half.encode(state, null)).state().tensor("w").values();
        assertArrayEquals(delivered, client.received, "the client trains from the fp16 global");
        assertNotEquals(global[1], client.received[1], "fp16 rounds 0.1244567 off");
        ModelState answered = ModelState.of(Map.of("w", new Tensor(new int[] {2, 32}, plusOne(delivered))));
        assertArrayEquals(int8.decode(int8.encode(answered, null)).state().tensor("w").values(),
                exchanged.value().state().tensor("w").values(), "the aggregator sees the int8-decoded update");
        assertEquals(half.encode(state, null).length, exchanged.bytesDown());
        assertEquals(int8.encode(answered, null).length, exchanged.bytesUp());
        assertEquals(half.encode(state, null).length, connection.evaluate(1, state).bytesDown());
        assertArrayEquals(new float[3], connection.initialModel(null, TensorScope.BACKBONE).tensor("w").values());
    }

    private static float[] plusOne(float[] values) {
        float[] next = values.clone();
        for (int i = 0; i < next.length; i++) {
            next[i] += 1;
        }
        return next;
    }
}
