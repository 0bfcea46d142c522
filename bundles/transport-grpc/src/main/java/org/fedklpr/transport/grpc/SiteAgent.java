package org.fedklpr.transport.grpc;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import org.fedklpr.api.FedklprException;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientFactory;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.FederatedClient;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.transport.grpc.proto.Chunk;
import org.fedklpr.transport.grpc.proto.Done;
import org.fedklpr.transport.grpc.proto.FederationGrpc;
import org.fedklpr.transport.grpc.proto.Instruction;
import org.fedklpr.transport.grpc.proto.InstructionPart;
import org.fedklpr.transport.grpc.proto.JoinReply;
import org.fedklpr.transport.grpc.proto.JoinRequest;
import org.fedklpr.transport.grpc.proto.NextRequest;
import org.fedklpr.transport.grpc.proto.Receipt;
import org.fedklpr.transport.grpc.proto.Result;
import org.fedklpr.transport.grpc.proto.ResultPart;
import org.fedklpr.transport.grpc.proto.Started;
import org.fedklpr.transport.grpc.proto.Update;

/**
 * A site: it connects out to the coordinator, joins under its own name and token, and carries out
 * the coordinator's instructions with its local client (its data and state never leave it) until
 * the experiment is over. When the coordinator cannot be reached it tries again, waiting longer
 * each time, and goes on from its own state: the coordinator tells it which round to restore.
 */
final class SiteAgent {
    private static final System.Logger LOG = System.getLogger(SiteAgent.class.getName());
    private static final long JOIN_DEADLINE_MILLIS = 30_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /**
     * How the site reaches the coordinator and what it brings.
     *
     * @param trust the certificate (PEM) of the authority that signed the coordinator's; null with plaintext
     * @param giveUpSeconds how long the site keeps trying to reach a coordinator it has lost
     */
    record Options(String coordinator, String name, Path data, Path state, String token, Path trust,
            boolean plaintext, long giveUpSeconds, long transferSeconds, long maxPayloadBytes) {
    }

    private final Options options;
    private final ClientFactory clients;
    private final Function<String, WireCodec> codecs;
    private FederatedClient client;
    private String datasetFormat;

    SiteAgent(Options options, ClientFactory clients, Function<String, WireCodec> codecs) {
        this.options = options;
        this.clients = clients;
        this.codecs = codecs;
    }

    /** Runs until the coordinator says the experiment is over; 0 then. */
    int run() {
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-grpc-site");
            thread.setDaemon(true);
            return thread;
        });
        ManagedChannel channel = channel(loop, executor);
        try {
            return serve(channel);
        } finally {
            if (client != null) {
                client.close();
            }
            channel.shutdownNow();
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            executor.shutdownNow();
        }
    }

    private ManagedChannel channel(EventLoopGroup loop, ExecutorService executor) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(GrpcTransport.address(options.coordinator()))
                .eventLoopGroup(loop).channelType(NioSocketChannel.class).executor(executor)
                .maxInboundMessageSize(GrpcTransport.MAX_MESSAGE).flowControlWindow(GrpcTransport.FLOW_CONTROL_WINDOW)
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(5, TimeUnit.SECONDS).keepAliveWithoutCalls(true);
        if (options.plaintext()) {
            builder.usePlaintext();
        } else {
            try {
                builder.sslContext(GrpcSslContexts.forClient().trustManager(options.trust().toFile()).build());
            } catch (IOException | IllegalArgumentException e) {
                throw new FedklprException("the coordinator's certificate authority " + options.trust()
                        + " cannot be read (" + e.getMessage() + ")", e);
            }
        }
        return builder.build();
    }

    private int serve(ManagedChannel channel) {
        Metadata token = new Metadata();
        token.put(SiteAuthentication.AUTHORIZATION, "Bearer " + options.token());
        FederationGrpc.FederationBlockingStub blocking = FederationGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
        FederationGrpc.FederationStub async = FederationGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(token));
        long backoff = 1000;
        long unreachableSince = -1;
        while (true) {
            try {
                JoinReply joined = blocking.withDeadlineAfter(JOIN_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                        .join(JoinRequest.newBuilder().setSite(options.name()).setVersion(version()).build());
                LOG.log(Level.INFO, "site " + options.name() + " joined the coordinator at " + options.coordinator());
                // A coordinator that names no direction's codec uses its one codec both ways.
                Codecs wire = new Codecs(codecs.apply(joined.getCodec()), codecs.apply(joined.getDownlinkCodec()
                        .isEmpty() ? joined.getCodec() : joined.getDownlinkCodec()), codecs.apply(joined
                        .getUplinkCodec().isEmpty() ? joined.getCodec() : joined.getUplinkCodec()));
                backoff = 1000;
                unreachableSince = -1;
                if (session(blocking, async, joined, wire)) {
                    return 0;
                }
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
                    throw new FedklprException("the coordinator at " + options.coordinator() + " refused site "
                            + options.name() + ": " + e.getStatus().getDescription() + " (check --name and the token"
                            + " file)", e);
                }
                long now = System.currentTimeMillis();
                unreachableSince = unreachableSince < 0 ? now : unreachableSince;
                if (now - unreachableSince > TimeUnit.SECONDS.toMillis(options.giveUpSeconds())) {
                    throw new FedklprException("site " + options.name() + " could not reach the coordinator at "
                            + options.coordinator() + " for " + options.giveUpSeconds() + " s: " + e.getStatus());
                }
                LOG.log(Level.WARNING, "site " + options.name() + ": the coordinator at " + options.coordinator()
                        + " cannot be reached (" + e.getStatus().getCode() + (e.getStatus().getDescription() == null
                                ? "" : ": " + e.getStatus().getDescription()) + "); trying again in "
                        + backoff / 1000 + " s");
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** One session: instructions until the experiment is over (true) or the session ends (exception). */
    private boolean session(FederationGrpc.FederationBlockingStub blocking, FederationGrpc.FederationStub async,
            JoinReply joined, Codecs codecs) {
        long nextDeadline = joined.getPollMillis() + TimeUnit.SECONDS.toMillis(options.transferSeconds());
        while (true) {
            Iterator<InstructionPart> parts = blocking.withDeadlineAfter(nextDeadline, TimeUnit.MILLISECONDS)
                    .next(NextRequest.newBuilder().setSession(joined.getSession()).build());
            InstructionPart first = parts.next();
            if (first.hasIdle()) {
                drain(parts);
                continue;
            }
            if (!first.hasHeader()) {
                throw new StatusRuntimeException(Status.INTERNAL.withDescription("an instruction without header"));
            }
            Instruction instruction = first.getHeader();
            Chunks.Assembler assembler = new Chunks.Assembler("instruction " + instruction.getId(),
                    instruction.getPayloadBytes(), options.maxPayloadBytes());
            while (parts.hasNext()) {
                InstructionPart part = parts.next();
                if (!part.hasChunk()) {
                    throw new StatusRuntimeException(Status.INTERNAL.withDescription("an instruction part that is "
                            + "not a chunk"));
                }
                assembler.add(part.getChunk());
            }
            byte[] payload = assembler.payload();
            submit(async, joined.getSession(), instruction, () -> carryOut(instruction, payload, codecs));
            if (instruction.hasFinish()) {
                LOG.log(Level.INFO, "site " + options.name() + ": " + instruction.getFinish().getReason());
                return true;
            }
        }
    }

    private static void drain(Iterator<?> parts) {
        while (parts.hasNext()) {
            parts.next();
        }
    }

    /** A result and its payload, as the work produced them. */
    private record Outcome(Result result, byte[] payload) {
    }

    private interface Work {
        Outcome run();
    }

    /**
     * Opens the Submit call before the work starts (the coordinator then sees at once if this site
     * goes away), does the work, streams the result, and waits for the receipt.
     */
    private void submit(FederationGrpc.FederationStub async, String session, Instruction instruction, Work work) {
        long left = instruction.getDeadlineMillis() - System.currentTimeMillis();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Receipt> receipt = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ClientCallStreamObserver<ResultPart>> requests = new AtomicReference<>();
        AtomicReference<ReadyGate> gate = new AtomicReference<>();
        async.withDeadlineAfter(Math.max(1000, left), TimeUnit.MILLISECONDS)
                .withOnReadyThreshold(FederationService.READY_THRESHOLD).submit(
                new ClientResponseObserver<ResultPart, Receipt>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ResultPart> stream) {
                        requests.set(stream);
                        gate.set(new ReadyGate(stream));
                    }

                    @Override
                    public void onNext(Receipt value) {
                        receipt.set(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure.set(t);
                        gate.get().cancel();
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        ClientCallStreamObserver<ResultPart> stream = requests.get();
        stream.onNext(ResultPart.newBuilder().setStarted(Started.newBuilder().setSession(session)
                .setInstruction(instruction.getId())).build());
        Outcome outcome = work.run();
        long sendDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.transferSeconds());
        String what = "sending the result of instruction " + instruction.getId();
        try {
            gate.get().awaitReady(sendDeadline, what);
            stream.onNext(ResultPart.newBuilder().setHeader(outcome.result().toBuilder()
                    .setPayloadBytes(outcome.payload().length)).build());
            for (Chunk chunk : Chunks.split(outcome.payload(), Chunks.MAX_CHUNK)) {
                gate.get().awaitReady(sendDeadline, what);
                stream.onNext(ResultPart.newBuilder().setChunk(chunk).build());
            }
            stream.onCompleted();
            if (!done.await(Math.max(1000, left), TimeUnit.MILLISECONDS)) {
                throw new StatusRuntimeException(Status.DEADLINE_EXCEEDED.withDescription("no receipt"));
            }
        } catch (FedklprException e) {
            stream.cancel(e.getMessage(), null);
            throw new StatusRuntimeException(Status.UNAVAILABLE.withDescription(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted", e);
        }
        if (failure.get() != null) {
            throw failure.get() instanceof StatusRuntimeException status ? status
                    : new StatusRuntimeException(Status.fromThrowable(failure.get()));
        }
        if (receipt.get() != null && !receipt.get().getAccepted()) {
            LOG.log(Level.WARNING, "site " + options.name() + ": the coordinator refused the result of "
                    + instruction.getKindCase() + " (" + receipt.get().getReason() + ")");
        }
    }

    /** Does what the instruction asks with the local client; a failure becomes the result's error. */
    /** The codecs the coordinator named: the starting model's, the global model's, the updates'. */
    private record Codecs(WireCodec initial, WireCodec down, WireCodec up) {
    }

    private Outcome carryOut(Instruction instruction, byte[] payload, Codecs codecs) {
        Result.Builder result = Result.newBuilder();
        byte[] out = new byte[0];
        try {
            switch (instruction.getKindCase()) {
                case DESCRIBE -> result.setInfo(Messages.info(client(instruction.getDescribe().getDatasetFormat())
                        .info()));
                case PREPARE -> {
                    FederatedClient local = requireClient();
                    local.prepare(Messages.network(instruction.getPrepare().getNetwork()),
                            instruction.getPrepare().getLabelOffset());
                    result.setInfo(Messages.info(local.info()));
                }
                case INITIAL_MODEL -> {
                    ModelState model = requireClient().initialModel(Messages.network(instruction.getInitialModel()
                            .getNetwork()), Messages.scope(instruction.getInitialModel().getScope()));
                    out = codecs.initial().encode(model, null);
                    result.setModel(Done.getDefaultInstance());
                }
                case TRAIN -> {
                    WireCodec.Payload global = codecs.down().decode(payload);
                    ClientUpdate update = requireClient().train(Messages.train(instruction.getTrain(), global.state(),
                            global.mask()));
                    out = codecs.up().encode(update.state(), update.mask());
                    result.setUpdate(Update.newBuilder().setRound(update.round()).setSamples(update.samples())
                            .putAllMetrics(update.metrics()).putAllNotes(update.notes()));
                }
                case EVALUATE -> {
                    ClientEvaluation evaluation = requireClient().evaluate(instruction.getEvaluate().getRound(),
                            codecs.down().decode(payload).state());
                    result.setScores(Messages.scores(evaluation.metrics()));
                }
                case CHECKPOINT -> {
                    requireClient().checkpoint(instruction.getCheckpoint().getExperiment(),
                            instruction.getCheckpoint().getRound());
                    result.setDone(Done.getDefaultInstance());
                }
                case RESTORE -> {
                    requireClient().restore(instruction.getRestore().getExperiment(),
                            instruction.getRestore().getRound());
                    result.setDone(Done.getDefaultInstance());
                }
                case CHECK -> {
                    clients.check(Messages.check(instruction.getCheck()));
                    result.setDone(Done.getDefaultInstance());
                }
                case FINISH -> result.setDone(Done.getDefaultInstance());
                default -> throw new FedklprException("an instruction this site does not know ("
                        + instruction.getKindCase() + "): is the coordinator a newer platform?");
            }
        } catch (FedklprException | IllegalArgumentException e) {
            return new Outcome(Result.newBuilder().setError(e.getMessage()).build(), new byte[0]);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "site " + options.name() + ": a bug while carrying out " + instruction.getKindCase(),
                    e);
            return new Outcome(Result.newBuilder().setError("internal error at the site (a bug; its log has the "
                    + "details): " + e).build(), new byte[0]);
        }
        return new Outcome(result.build(), out);
    }

    /** The local client, made (its data read) for the layout the coordinator names. */
    private FederatedClient client(String format) {
        if (client == null || !format.equals(datasetFormat)) {
            if (client != null) {
                client.close();
            }
            client = clients.create(new ClientDescriptor(options.name(), options.data(), format, options.state()));
            datasetFormat = format;
        }
        return client;
    }

    private FederatedClient requireClient() {
        if (client == null) {
            throw new FedklprException("site " + options.name() + " was asked to work before it read its data");
        }
        return client;
    }

    private static String version() {
        String version = SiteAgent.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0" : version;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted", e);
        }
    }
}
