package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
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
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code fedklpr bench transport}: a ResNet-50-sized update (23.5 M values, the dense codec's 94 MB)
 * down to a site and back over gRPC on loopback, with TLS and in plaintext, beside a plain socket
 * copy of the same bytes in the same run. The site is this JVM's own agent with a client that sends
 * back what it got: what is timed is the transport, not training.
 */
@Component(property = Names.SERVICE_NAME + "=bench-transport")
public final class TransportBench implements PlatformCommand {
    /** torchvision's ResNet-50 without its classifier: 23,508,032 parameters. */
    private static final int VALUES = 23_508_032;
    private static final int REPEATS = 3;

    private final NamedServices<WireCodec> codecs = new NamedServices<>("wire codec");

    @Override
    public int run(List<String> arguments) {
        WireCodec codec = codecs.await("dense");
        float[] values = new float[VALUES];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * 0.05f;
        }
        ModelState model = ModelState.of(Map.of("backbone.w", new Tensor(new int[] {values.length}, values)));
        byte[] payload = codec.encode(model, null);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("fedklpr-bench-transport-");
        } catch (IOException e) {
            throw new FedklprException("cannot make a scratch folder: " + e.getMessage(), e);
        }
        CredentialsCommand.write(scratch.resolve("credentials"), List.of("echo"), Set.of());
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Transport on loopback: one update of %.1f MB down to a site and back "
                + "(median of %d)", payload.length / 1e6, REPEATS));
        lines.add("TLS by " + (io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.isAvailable() ? "OpenSSL (BoringSSL)"
                : "the JDK (" + io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.unavailabilityCause() + ")"));
        lines.add(String.format(Locale.ROOT, "%-30s %10s %10s %8s", "path", "seconds", "MB/s", "ratio"));
        double socket = median(() -> socketCopy(payload));
        // An exchange encodes and decodes the model twice (down and up); timed apart, in the same run.
        double codecWork = 2 * median(() -> {
            long started = System.nanoTime();
            codec.decode(codec.encode(model, null));
            return (System.nanoTime() - started) / 1e9;
        });
        double tls = median(() -> grpc(scratch, codec, model, false));
        double plain = median(() -> grpc(scratch, codec, model, true));
        double bytes = 2.0 * payload.length;
        lines.add(row("plain socket copy", socket, bytes, socket));
        lines.add(row("gRPC, TLS, with codec", tls, bytes, socket));
        lines.add(row("gRPC, TLS, transport alone", tls - codecWork, bytes, socket));
        lines.add(row("gRPC, plaintext, with codec", plain, bytes, socket));
        lines.add(row("gRPC, plaintext, transport", plain - codecWork, bytes, socket));
        lines.add(String.format(Locale.ROOT, "codec (encode + decode, both ways): %.3f s, taken off for 'transport "
                + "alone'", codecWork));
        lines.add("ratio: throughput against the plain socket copy of the same bytes in this run (target for TLS, "
                + "transport alone: at least 0.5)");
        System.out.println(String.join("\n", lines));
        return 0;
    }

    private static String row(String path, double seconds, double bytes, double reference) {
        return String.format(Locale.ROOT, "%-30s %10.3f %10.1f %8.2f", path, seconds, bytes / 1e6 / seconds,
                reference / seconds);
    }

    private interface Timed {
        double seconds() throws Exception;
    }

    private static double median(Timed timed) {
        List<Double> times = new ArrayList<>();
        try {
            timed.seconds();
            for (int i = 0; i < REPEATS; i++) {
                times.add(timed.seconds());
            }
        } catch (Exception e) {
            throw new FedklprException("the transport bench failed: " + e, e);
        }
        times.sort(Double::compare);
        return times.get(times.size() / 2);
    }

    /** The payload written to a loopback socket and read back whole on the other side, both ways. */
    private static double socketCopy(byte[] payload) throws Exception {
        // Both ends read into buffers they already hold, as a receiver that knows the size would.
        byte[] received = new byte[payload.length];
        byte[] back = new byte[payload.length];
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream();
                        OutputStream out = accepted.getOutputStream()) {
                    if (in.readNBytes(received, 0, received.length) != received.length) {
                        throw new IOException("short read");
                    }
                    out.write(received);
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long started = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.getOutputStream().write(payload);
                socket.getOutputStream().flush();
                if (socket.getInputStream().readNBytes(back, 0, back.length) != back.length) {
                    throw new IOException("short read");
                }
            }
            echo.get(60, TimeUnit.SECONDS);
            return (System.nanoTime() - started) / 1e9;
        }
    }

    /** One training exchange with an echo site over the real transport. */
    private double grpc(Path scratch, WireCodec codec, ModelState model, boolean plaintext) throws Exception {
        Path credentials = scratch.resolve("credentials");
        GrpcTransport transport = new GrpcTransport(GrpcTransport.Settings.loopback(credentials, plaintext, 600));
        transport.addCodec(codec, Map.of(Names.SERVICE_NAME, "dense"));
        try {
            int port = transport.listening().getPort();
            SiteAgent.Options options = new SiteAgent.Options("localhost:" + port, "echo", scratch, scratch.resolve(
                    "state"), SiteTokens.readToken(credentials.resolve("echo.token")), plaintext ? null
                            : credentials.resolve("ca.pem"), plaintext, 30, 600, 1L << 30);
            CompletableFuture<Integer> site = CompletableFuture.supplyAsync(() -> new SiteAgent(options, ECHO,
                    name -> codec).run());
            ClientConnection connection = transport.connect(new ClientDescriptor("echo", null, "market1501", null));
            connection.info();
            TrainingTask task = new TrainingTask(1, model, TensorScope.BACKBONE,
                    new TrainingSettings(1, 32, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
            long started = System.nanoTime();
            Exchanged<ClientUpdate> exchanged = connection.train(task);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (exchanged.bytesUp() != codec.encode(model, null).length) {
                throw new IllegalStateException("the update came back with " + exchanged.bytesUp() + " bytes");
            }
            connection.close();
            site.get(60, TimeUnit.SECONDS);
            return seconds;
        } finally {
            transport.stop();
        }
    }

    /** A site that sends back the model it was sent: the bench times only the transport. */
    private static final ClientFactory ECHO = new ClientFactory() {
        @Override
        public FederatedClient create(ClientDescriptor descriptor) {
            return new FederatedClient() {
                @Override
                public ClientInfo info() {
                    return new ClientInfo("echo", "echo", 1, 1, 1, 1, 0);
                }

                @Override
                public void prepare(NetworkSpec network, int labelOffset) {
                }

                @Override
                public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
                    return ModelState.empty();
                }

                @Override
                public ClientUpdate train(TrainingTask task) {
                    return new ClientUpdate("echo", task.round(), task.global(), null, 1, Map.of(), Map.of());
                }

                @Override
                public ClientEvaluation evaluate(int round, ModelState global) {
                    return new ClientEvaluation("echo", round, new ReidMetrics(0, 0, 0, 0, 0, 0, 0));
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
            };
        }

        @Override
        public void check(SiteRequirements requirements) {
        }
    };

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.add(codec, properties);
    }

    void removeCodec(WireCodec codec, Map<String, Object> properties) {
        codecs.remove(codec, properties);
    }

}
