package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
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
    /**
     * Exchanges before the timed ones: gRPC's, netty's and TLS's Java code reaches its compiled speed
     * only after about 15 exchanges of this size (the first takes 2–3 s); a coordinator or site that
     * runs for many rounds pays that once. The cold first exchange is reported apart.
     */
    private static final int GRPC_WARM_UPS = 15;
    private static final int WARM_UPS = 3;
    private static final int REPEATS = 5;

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
                + "(median of %d after %d warm-ups; gRPC after %d)", payload.length / 1e6, REPEATS, WARM_UPS,
                GRPC_WARM_UPS));
        lines.add("TLS by " + (io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.isAvailable() ? "OpenSSL (BoringSSL)"
                : "the JDK (" + io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl.unavailabilityCause() + ")"));
        lines.add(String.format(Locale.ROOT, "%-30s %10s %10s %8s %12s", "path", "seconds", "MB/s", "ratio",
                "CPU seconds"));
        Timing socket = median(WARM_UPS, () -> timed(() -> socketCopy(payload)));
        // An exchange encodes and decodes the model twice (down and up); timed apart, in the same run.
        Timing codecOnce = median(WARM_UPS, () -> timed(() -> codec.decode(codec.encode(model, null))));
        Timing codecWork = new Timing(2 * codecOnce.seconds(), 2 * codecOnce.cpuSeconds());
        Timing cold;
        try {
            cold = grpc(scratch, codec, model, false);
        } catch (Exception e) {
            throw new FedklprException("the transport bench failed: " + e, e);
        }
        Timing tls = median(GRPC_WARM_UPS, () -> grpc(scratch, codec, model, false));
        Timing plain = median(GRPC_WARM_UPS, () -> grpc(scratch, codec, model, true));
        double bytes = 2.0 * payload.length;
        lines.add(row("plain socket copy", socket, bytes, socket));
        lines.add(row("gRPC, TLS, first (cold JVM)", cold, bytes, socket));
        lines.add(row("gRPC, TLS, with codec", tls, bytes, socket));
        lines.add(row("gRPC, TLS, transport alone", tls.less(codecWork), bytes, socket));
        lines.add(row("gRPC, plaintext, with codec", plain, bytes, socket));
        lines.add(row("gRPC, plaintext, transport", plain.less(codecWork), bytes, socket));
        lines.add(String.format(Locale.ROOT, "codec (encode + decode, both ways): %.3f s, %.3f CPU s, taken off for "
                + "'transport alone'", codecWork.seconds(), codecWork.cpuSeconds()));
        lines.add("ratio: throughput against the plain socket copy of the same bytes in this run (target for TLS, "
                + "transport alone: at least 0.5); CPU seconds: this process's, both ends together (2 cores here)");
        System.out.println(String.join("\n", lines));
        return 0;
    }

    private static String row(String path, Timing timing, double bytes, Timing reference) {
        return String.format(Locale.ROOT, "%-30s %10.3f %10.1f %8.2f %12.3f", path, timing.seconds(),
                bytes / 1e6 / timing.seconds(), reference.seconds() / timing.seconds(), timing.cpuSeconds());
    }

    /** Wall-clock and CPU seconds (every thread of this process) of one timed piece of work. */
    private record Timing(double seconds, double cpuSeconds) {
        Timing less(Timing other) {
            return new Timing(seconds - other.seconds, cpuSeconds - other.cpuSeconds);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private interface Timed {
        Timing measure() throws Exception;
    }

    private static Timing timed(Work work) throws Exception {
        long cpu = processCpuNanos();
        long started = System.nanoTime();
        work.run();
        return new Timing((System.nanoTime() - started) / 1e9, (processCpuNanos() - cpu) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The median of wall and of CPU seconds (each apart) over the repeats after the warm-ups. */
    private static Timing median(int warmUps, Timed timed) {
        List<Timing> timings = new ArrayList<>();
        try {
            for (int i = 0; i < warmUps; i++) {
                timed.measure();
            }
            for (int i = 0; i < REPEATS; i++) {
                timings.add(timed.measure());
            }
        } catch (Exception e) {
            throw new FedklprException("the transport bench failed: " + e, e);
        }
        double[] seconds = timings.stream().mapToDouble(Timing::seconds).sorted().toArray();
        double[] cpu = timings.stream().mapToDouble(Timing::cpuSeconds).sorted().toArray();
        return new Timing(seconds[seconds.length / 2], cpu[cpu.length / 2]);
    }

    /** The payload written to a loopback socket and read back whole on the other side, both ways. */
    private static void socketCopy(byte[] payload) throws Exception {
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
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.getOutputStream().write(payload);
                socket.getOutputStream().flush();
                if (socket.getInputStream().readNBytes(back, 0, back.length) != back.length) {
                    throw new IOException("short read");
                }
            }
            echo.get(60, TimeUnit.SECONDS);
        }
    }

    /** One training exchange with an echo site over the real transport. */
    private Timing grpc(Path scratch, WireCodec codec, ModelState model, boolean plaintext) throws Exception {
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
            Exchanged<?>[] exchanged = new Exchanged<?>[1];
            Timing timing = timed(() -> exchanged[0] = connection.train(task));
            if (exchanged[0].bytesUp() != codec.encode(model, null).length) {
                throw new IllegalStateException("the update came back with " + exchanged[0].bytesUp() + " bytes");
            }
            connection.close();
            site.get(60, TimeUnit.SECONDS);
            return timing;
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
