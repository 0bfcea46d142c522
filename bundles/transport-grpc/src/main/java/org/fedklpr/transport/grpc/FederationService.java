package org.fedklpr.transport.grpc;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.fedklpr.api.FedklprException;
import org.fedklpr.transport.grpc.proto.Chunk;
import org.fedklpr.transport.grpc.proto.FederationGrpc;
import org.fedklpr.transport.grpc.proto.Idle;
import org.fedklpr.transport.grpc.proto.InstructionPart;
import org.fedklpr.transport.grpc.proto.JoinReply;
import org.fedklpr.transport.grpc.proto.JoinRequest;
import org.fedklpr.transport.grpc.proto.NextRequest;
import org.fedklpr.transport.grpc.proto.Receipt;
import org.fedklpr.transport.grpc.proto.Result;
import org.fedklpr.transport.grpc.proto.ResultPart;

/**
 * The coordinator's end of the protocol: it hands each site the instructions its {@link SiteLink}
 * holds and takes their results in. Every call comes from an authenticated site
 * ({@link SiteAuthentication}); a call may only act on that site's own link and session.
 */
final class FederationService extends FederationGrpc.FederationImplBase {
    private static final System.Logger LOG = System.getLogger(FederationService.class.getName());
    /** The gRPC length prefix of every message. */
    static final int MESSAGE_PREFIX = 5;
    /** How many bytes a stream may hold unsent before a sender waits: two chunks. */
    static final int READY_THRESHOLD = 2 * Chunks.MAX_CHUNK + 64 * 1024;

    private final Map<String, SiteLink> links;
    private final CodecNames codecs;
    private final long pollMillis;
    private final long payloadLimit;
    private final long sendTimeoutNanos;
    private final Executor workers;

    /** @param workers where each Next call waits for its instruction and sends it */
    /** The codecs a site must use: for the starting model, for what comes down, for what goes up. */
    record CodecNames(String initial, String down, String up) {
    }

    FederationService(Map<String, SiteLink> links, CodecNames codecs, long pollMillis, long payloadLimit,
            long sendTimeoutMillis, Executor workers) {
        this.workers = workers;
        this.links = links;
        this.codecs = codecs;
        this.pollMillis = pollMillis;
        this.payloadLimit = payloadLimit;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    }

    private SiteLink link() {
        String site = SiteAuthentication.SITE.get();
        SiteLink link = site == null ? null : links.get(site);
        if (link == null) {
            throw Status.PERMISSION_DENIED.withDescription("site '" + site + "' is not part of this experiment")
                    .asRuntimeException();
        }
        return link;
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
        SiteLink link;
        try {
            link = link();
        } catch (RuntimeException e) {
            reply.onError(e);
            return;
        }
        if (!request.getSite().equals(link.name())) {
            LOG.log(Level.WARNING, "site " + link.name() + " tried to join as '" + request.getSite() + "'; refused");
            reply.onError(Status.PERMISSION_DENIED.withDescription("this token belongs to site " + link.name()
                    + ", not to '" + request.getSite() + "'").asRuntimeException());
            return;
        }
        String session = link.join();
        LOG.log(Level.INFO, "site " + link.name() + " joined (platform " + request.getVersion() + ")");
        reply.onNext(JoinReply.newBuilder().setSession(session).setCodec(codecs.initial())
                .setDownlinkCodec(codecs.down()).setUplinkCodec(codecs.up()).setPollMillis(pollMillis).build());
        reply.onCompleted();
    }

    @Override
    public void next(NextRequest request, StreamObserver<InstructionPart> observer) {
        ServerCallStreamObserver<InstructionPart> call = (ServerCallStreamObserver<InstructionPart>) observer;
        SiteLink link;
        try {
            link = link();
        } catch (RuntimeException e) {
            call.onError(e);
            return;
        }
        String session = request.getSession();
        if (!link.isSession(session)) {
            call.onError(Status.FAILED_PRECONDITION.withDescription("this session has ended: join again")
                    .asRuntimeException());
            return;
        }
        // Room for two chunks in flight: the next is queued while the last is framed and encrypted.
        call.setOnReadyThreshold(READY_THRESHOLD);
        ReadyGate gate = new ReadyGate(call);
        call.setOnCancelHandler(() -> {
            gate.cancel();
            link.lost(session, "its connection closed");
        });
        // Waiting and sending happen elsewhere: gRPC tells this call that it may send again (onReady)
        // on the thread that runs this handler, so blocking here would wait for ever.
        workers.execute(() -> serve(link, session, call, gate));
    }

    private void serve(SiteLink link, String session, ServerCallStreamObserver<InstructionPart> call, ReadyGate gate) {
        SiteLink.Exchange exchange;
        try {
            exchange = link.take(session, pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(Status.UNAVAILABLE.withDescription("the coordinator is stopping").asRuntimeException());
            return;
        }
        if (exchange == null) {
            call.onNext(InstructionPart.newBuilder().setIdle(Idle.getDefaultInstance()).build());
            call.onCompleted();
            return;
        }
        try {
            long deadline = System.nanoTime() + sendTimeoutNanos;
            InstructionPart header = InstructionPart.newBuilder().setHeader(exchange.instruction).build();
            long wire = header.getSerializedSize() + MESSAGE_PREFIX;
            gate.awaitReady(deadline, "sending " + exchange.kind() + " to site " + link.name());
            call.onNext(header);
            for (Chunk chunk : Chunks.split(exchange.payload, Chunks.MAX_CHUNK)) {
                InstructionPart part = InstructionPart.newBuilder().setChunk(chunk).build();
                wire += part.getSerializedSize() + MESSAGE_PREFIX;
                gate.awaitReady(deadline, "sending " + exchange.kind() + " to site " + link.name());
                call.onNext(part);
            }
            exchange.wireDown = wire;
            call.onCompleted();
        } catch (FedklprException e) {
            link.failed(exchange, e.getMessage());
            call.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public StreamObserver<ResultPart> submit(StreamObserver<Receipt> observer) {
        ServerCallStreamObserver<Receipt> call = (ServerCallStreamObserver<Receipt>) observer;
        SiteLink link;
        try {
            link = link();
        } catch (RuntimeException e) {
            call.onError(e);
            return new Ignored();
        }
        return new ResultReceiver(link, call);
    }

    /** One Submit call: Started, then the result's header, then its payload's chunks. */
    private final class ResultReceiver implements StreamObserver<ResultPart> {
        private final SiteLink link;
        private final ServerCallStreamObserver<Receipt> call;
        private SiteLink.Exchange exchange;
        private String session;
        private Result result;
        private Chunks.Assembler assembler;
        private long wireUp;
        private boolean finished;

        ResultReceiver(SiteLink link, ServerCallStreamObserver<Receipt> call) {
            this.link = link;
            this.call = call;
            call.setOnCancelHandler(this::cancelled);
        }

        private synchronized void cancelled() {
            if (!finished && exchange != null) {
                finished = true;
                link.lost(session, "its connection closed while it worked on " + exchange.kind());
            }
        }

        @Override
        public synchronized void onNext(ResultPart part) {
            if (finished) {
                return;
            }
            wireUp += part.getSerializedSize() + MESSAGE_PREFIX;
            try {
                switch (part.getPartCase()) {
                    case STARTED -> {
                        if (exchange != null) {
                            throw new FedklprException("a second Started in one Submit");
                        }
                        session = part.getStarted().getSession();
                        exchange = link.started(session, part.getStarted().getInstruction());
                        if (exchange == null) {
                            refuse("instruction " + part.getStarted().getInstruction() + " is not one this site is"
                                    + " working on now (already answered, too late, from an ended session, or never"
                                    + " given to it)");
                        }
                    }
                    case HEADER -> {
                        if (exchange == null || result != null) {
                            throw new FedklprException("a result header " + (exchange == null ? "before Started"
                                    : "twice"));
                        }
                        result = part.getHeader();
                        assembler = new Chunks.Assembler("the " + exchange.kind() + " result of site " + link.name(),
                                result.getPayloadBytes(), payloadLimit);
                    }
                    case CHUNK -> {
                        if (assembler == null) {
                            throw new FedklprException("a chunk before the result's header");
                        }
                        assembler.add(part.getChunk());
                    }
                    default -> throw new FedklprException("an empty message");
                }
            } catch (FedklprException e) {
                malformed(e.getMessage());
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            cancelled();
        }

        @Override
        public synchronized void onCompleted() {
            if (finished) {
                return;
            }
            if (exchange == null || result == null) {
                malformed("the Submit ended before " + (exchange == null ? "Started" : "the result's header"));
                return;
            }
            byte[] payload;
            try {
                payload = assembler.payload();
            } catch (FedklprException e) {
                malformed(e.getMessage());
                return;
            }
            finished = true;
            boolean taken = link.answered(exchange, new SiteLink.Reply(result, payload, exchange.wireDown, wireUp));
            receipt(taken, taken ? "" : "the coordinator no longer waits for it");
        }

        /** A result that breaks the protocol: refused, and the waiting experiment hears why. */
        private void malformed(String why) {
            if (exchange != null) {
                link.failed(exchange, "a malformed result (" + why + ")");
            }
            refuse("malformed: " + why);
        }

        private void refuse(String why) {
            LOG.log(Level.WARNING, "refused a result of site " + link.name() + ": " + why);
            finished = true;
            receipt(false, why);
        }

        private void receipt(boolean accepted, String reason) {
            call.onNext(Receipt.newBuilder().setAccepted(accepted).setReason(reason).build());
            call.onCompleted();
        }
    }

    /** The stream of a call refused before it started. */
    private static final class Ignored implements StreamObserver<ResultPart> {
        @Override
        public void onNext(ResultPart value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
