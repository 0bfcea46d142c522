package org.fedklpr.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientFactory;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Exchanged;
import org.fedklpr.wire.DenseWireCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's transport and a site agent in one JVM, over real gRPC on loopback (plaintext):
 * what one side sends is what the other gets, models larger than a chunk included; a wrong token
 * is refused; a result that comes too late is refused and the site goes on.
 */
class GrpcRoundTripTest {
    /** Values in the global model: 2.4 MB dense, so it travels in three chunks. */
    private static final int SIZE = 600_000;

    @TempDir
    Path folder;
    private GrpcTransport transport;

    /** A site whose training adds one to every value, and which can be told to be slow. */
    private static final class EchoSite implements FederatedClient {
        volatile long trainMillis;
        volatile String checkpointed = "";

        @Override
        public ClientInfo info() {
            return new ClientInfo("ignored", "echo", 10, 2, 3, 4, 0);
        }

        @Override
        public void prepare(NetworkSpec network, int labelOffset) {
        }

        @Override
        public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
            return model(new float[SIZE]);
        }

        @Override
        public ClientUpdate train(TrainingTask task) {
            sleep(trainMillis);
            float[] values = task.global().tensor("backbone.w").values().clone();
            for (int i = 0; i < values.length; i++) {
                values[i] += 1;
            }
            return new ClientUpdate("ignored", task.round(), model(values), null, 10, Map.of("loss", 0.5),
                    Map.of("note", "trained"));
        }

        @Override
        public ClientEvaluation evaluate(int round, ModelState global) {
            return new ClientEvaluation("ignored", round, new ReidMetrics(0.5, 0.6, 0.7, 0.4, 0.3, 3, 0));
        }

        @Override
        public void checkpoint(String experiment, int round) {
            checkpointed = experiment + "@" + round;
        }

        @Override
        public void restore(String experiment, int round) {
            throw new FedklprException("the site's state file for round " + round + " does not exist");
        }

        @Override
        public void close() {
        }
    }

    private static ModelState model(float[] values) {
        return ModelState.of(Map.of("backbone.w", new Tensor(new int[] {values.length}, values)));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ClientFactory factory(FederatedClient client) {
        return new ClientFactory() {
            @Override
            public FederatedClient create(ClientDescriptor descriptor) {
                return client;
            }

            @Override
            public void check(SiteRequirements requirements) {
                if (!requirements.objectives().contains("identity-ce")) {
                    throw new FedklprException("objectives: no objective named '" + requirements.objectives().get(0)
                            + "' is available");
                }
            }
        };
    }

    /** The coordinator's transport for one site, {@code echo}; returns that site's token. */
    private String coordinator(int trainSeconds) throws Exception {
        String token = SiteTokens.newToken();
        new SiteTokens(new LinkedHashMap<>(Map.of("echo", SiteTokens.digest(token)))).write(folder.resolve(
                "site-tokens.json"));
        transport = new GrpcTransport(GrpcTransport.Settings.loopback(folder, true, trainSeconds));
        transport.addCodec(new DenseWireCodec(), Map.of(Names.SERVICE_NAME, "dense"));
        return token;
    }

    private CompletableFuture<Integer> site(String name, String token, FederatedClient client) {
        SiteAgent.Options options = new SiteAgent.Options("127.0.0.1:" + transport.listening().getPort(), name,
                folder.resolve("data"), folder.resolve("state"), token, null, true, 5, 30, 16L << 20);
        return CompletableFuture.supplyAsync(() -> new SiteAgent(options, factory(client), codec -> new DenseWireCodec())
                .run());
    }

    @Test
    void garbageOnThePortDoesNotDisturbARunningRoundOverTls() throws Exception {
        Path credentials = folder.resolve("credentials");
        CredentialsCommand.write(credentials, List.of("echo"), Set.of());
        transport = new GrpcTransport(GrpcTransport.Settings.loopback(credentials, false, 60));
        transport.addCodec(new DenseWireCodec(), Map.of(Names.SERVICE_NAME, "dense"));
        int port = transport.listening().getPort();
        EchoSite slow = new EchoSite();
        SiteAgent.Options options = new SiteAgent.Options("localhost:" + port, "echo", folder.resolve("data"),
                folder.resolve("state"), SiteTokens.readToken(credentials.resolve("echo.token")),
                credentials.resolve("ca.pem"), false, 5, 30, 16L << 20);
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> new SiteAgent(options,
                factory(slow), codec -> new DenseWireCodec()).run());
        ClientConnection site = transport.connect(new ClientDescriptor("echo", null, "market1501", null));
        site.info();
        slow.trainMillis = 3000;
        float[] global = {1, 2, 3};
        TrainingTask task = new TrainingTask(1, model(global), TensorScope.BACKBONE,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
        CompletableFuture<Exchanged<ClientUpdate>> round = CompletableFuture.supplyAsync(() -> site.train(task));
        Thread.sleep(300);

        // Random bytes, a plain HTTP request, and a TLS handshake that never says who it is.
        try (Socket noise = new Socket("127.0.0.1", port)) {
            byte[] garbage = new byte[64 * 1024];
            new java.util.Random(7).nextBytes(garbage);
            noise.getOutputStream().write(garbage);
        } catch (java.io.IOException e) {
            // the server may close it before all of it is written: that is the point
        }
        try (Socket http = new Socket("127.0.0.1", port)) {
            http.setSoTimeout(5000);
            http.getOutputStream().write("GET / HTTP/1.1\r\nHost: coordinator\r\n\r\n".getBytes());
            http.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            // closed on it: fine
        }
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (javax.net.ssl.SSLSocket hello = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            hello.setSoTimeout(5000);
            hello.startHandshake();
        }

        Exchanged<ClientUpdate> trained = round.get(60, TimeUnit.SECONDS);
        assertArrayEquals(new float[] {2, 3, 4}, trained.value().state().tensor("backbone.w").values(),
                "the round went on as if nothing had happened");
        slow.trainMillis = 0;
        assertEquals(2.0f, site.train(task).value().state().tensor("backbone.w").values()[0]);
        site.close();
        assertEquals(0, running.get(30, TimeUnit.SECONDS));
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.stop();
        }
    }

    @Test
    void whatTheCoordinatorAsksIsWhatTheSiteDoesAndModelsLargerThanAChunkArriveWhole() throws Exception {
        String token = coordinator(30);
        EchoSite echo = new EchoSite();
        CompletableFuture<Integer> running = site("echo", token, echo);
        transport.check(new SiteRequirements("market1501", List.of("identity-ce"), TrainingTask.Pruning.NONE,
                "tiny-cnn", ""));
        ClientConnection site = transport.connect(new ClientDescriptor("echo", null, "market1501", null));
        assertEquals(new ClientInfo("echo", "echo", 10, 2, 3, 4, 0), site.info(), "named as it authenticated");
        site.prepare(new NetworkSpec("tiny-cnn", 0, 0, 16, 2, 1), 0);
        ModelState initial = site.initialModel(new NetworkSpec("tiny-cnn", 0, 0, 16, 2, 1), TensorScope.BACKBONE);
        assertEquals(SIZE, initial.tensor("backbone.w").values().length);

        float[] global = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
            global[i] = i * 0.5f;
        }
        TrainingTask task = new TrainingTask(3, model(global), null, TensorScope.BACKBONE,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"),
                TrainingTask.Pruning.NONE, 1.0, Set.of());
        Exchanged<ClientUpdate> exchanged = site.train(task);
        float[] expected = global.clone();
        for (int i = 0; i < SIZE; i++) {
            expected[i] += 1;
        }
        assertArrayEquals(expected, exchanged.value().state().tensor("backbone.w").values());
        assertEquals(Map.of("loss", 0.5), exchanged.value().metrics());
        assertEquals("echo", exchanged.value().clientId());
        DenseWireCodec codec = new DenseWireCodec();
        assertEquals(codec.encode(model(global), null).length, exchanged.bytesDown());
        assertEquals(codec.encode(model(expected), null).length, exchanged.bytesUp());
        assertTrue(exchanged.wireBytesUp() > exchanged.bytesUp() && exchanged.wireBytesDown() > exchanged.bytesDown(),
                "the wire carries the payload and the messages' framing");

        assertEquals(0.5, site.evaluate(3, model(global)).value().metrics().rank1());
        site.checkpoint("exp-1", 3);
        assertEquals("exp-1@3", echo.checkpointed);
        FedklprException missing = assertThrows(FedklprException.class, () -> site.restore("exp-1", 9));
        assertTrue(missing.getMessage().startsWith("site echo: the site's state file for round 9"), missing.getMessage());

        FedklprException named = assertThrows(FedklprException.class, () -> transport.check(new SiteRequirements(
                "market1501", List.of("kl"), TrainingTask.Pruning.NONE, "tiny-cnn", "")));
        assertTrue(named.getMessage().contains("objectives: no objective named 'kl' is available (site echo)"),
                named.getMessage());

        site.close();
        assertEquals(0, running.get(30, TimeUnit.SECONDS), "the site stops when the experiment is over");
    }

    @Test
    void aSiteWithAWrongTokenOrAnotherSitesNameIsRefused() throws Exception {
        String token = coordinator(30);
        transport.listening();
        Throwable wrong = assertThrows(Exception.class, () -> site("echo", SiteTokens.newToken(), new EchoSite())
                .get(30, TimeUnit.SECONDS)).getCause();
        assertTrue(wrong.getMessage().contains("refused site echo: the token is not one of this coordinator's sites"),
                wrong.getMessage());
        Throwable impostor = assertThrows(Exception.class, () -> site("duke", token, new EchoSite())
                .get(30, TimeUnit.SECONDS)).getCause();
        assertTrue(impostor.getMessage().contains("this token belongs to site echo, not to 'duke'"),
                impostor.getMessage());
    }

    @Test
    void anUpdateThatComesTooLateIsRefusedAndTheSiteGoesOn() throws Exception {
        String token = coordinator(1);
        EchoSite slow = new EchoSite();
        slow.trainMillis = 2500;
        CompletableFuture<Integer> running = site("echo", token, slow);
        ClientConnection site = transport.connect(new ClientDescriptor("echo", null, "market1501", null));
        site.info();
        TrainingTask task = new TrainingTask(1, model(new float[10]), TensorScope.BACKBONE,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
        FedklprException late = assertThrows(FedklprException.class, () -> site.train(task));
        assertTrue(late.getMessage().contains("did not answer train within its deadline"), late.getMessage());
        slow.trainMillis = 0;
        // The site finishes the late training, its answer is refused; the next instruction is served as usual.
        Thread.sleep(3000);
        assertEquals(1.0f, site.train(task).value().state().tensor("backbone.w").values()[0]);
        site.close();
        assertEquals(0, running.get(30, TimeUnit.SECONDS));
        assertTrue(Files.notExists(folder.resolve("state")), "the echo site keeps no state");
    }
}
