package org.fedklpr.transport.grpc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Exchanged;
import org.fedklpr.api.transport.SiteUnavailableException;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.transport.grpc.proto.BuildInitialModel;
import org.fedklpr.transport.grpc.proto.Describe;
import org.fedklpr.transport.grpc.proto.Evaluate;
import org.fedklpr.transport.grpc.proto.Finish;
import org.fedklpr.transport.grpc.proto.Instruction;
import org.fedklpr.transport.grpc.proto.Prepare;
import org.fedklpr.transport.grpc.proto.RestoreState;
import org.fedklpr.transport.grpc.proto.Result;
import org.fedklpr.transport.grpc.proto.SaveState;
import org.fedklpr.transport.grpc.proto.Update;

/**
 * The coordinator's connection to a site in another process, over gRPC: each call becomes an
 * instruction the site fetches, carries out and answers. Models go down and updates come up as the
 * codec's bytes, in chunks; {@code bytes_*} are those payloads (comparable with the in-process
 * transport), {@code wire_bytes_*} the gRPC messages that carried them.
 */
final class RemoteSite implements ClientConnection {
    /** How long a site may take to answer an instruction: set by the transport's configuration. */
    record Deadlines(long trainMillis, long otherMillis) {
    }

    private final SiteLink link;
    private final Codecs codecs;
    private final AtomicLong instructionIds;
    private final Deadlines deadlines;
    private final String datasetFormat;
    private ClientInfo info;
    /** The site's session this connection last brought up to date (a new one: the site came back). */
    private String syncedSession;
    /** The network the site was last asked to build, to build again for a site that came back. */
    private NetworkSpec preparedNetwork;
    private int preparedOffset;
    /** The state the site should be at: the last it saved or was told to restore. */
    private String savedExperiment;
    private int savedRound = -1;
    /**
     * Its last work did not come back (lost or late): what it kept of that round did not count, so it
     * goes back to its saved state before it works again.
     */
    private boolean stale;

    /** The codecs of each direction: the starting model, the global model going down, the updates coming up. */
    record Codecs(WireCodec initial, WireCodec down, WireCodec up) {
    }

    RemoteSite(SiteLink link, Codecs codecs, AtomicLong instructionIds, Deadlines deadlines, String datasetFormat) {
        this.link = link;
        this.codecs = codecs;
        this.instructionIds = instructionIds;
        this.deadlines = deadlines;
        this.datasetFormat = datasetFormat;
    }

    @Override
    public String clientId() {
        return link.name();
    }

    @Override
    public ClientInfo info() {
        if (info == null) {
            describe();
        }
        return info;
    }

    private void describe() {
        String session = link.session();
        Result result = call(Instruction.newBuilder().setDescribe(Describe.newBuilder()
                .setDatasetFormat(datasetFormat)), new byte[0], deadlines.otherMillis()).result();
        info = Messages.info(link.name(), expect(result, Result.KindCase.INFO).getInfo());
        syncedSession = session;
    }

    @Override
    public void prepare(NetworkSpec network, int labelOffset) {
        Result result = call(Instruction.newBuilder().setPrepare(Prepare.newBuilder()
                .setNetwork(Messages.network(network)).setLabelOffset(labelOffset)), new byte[0],
                deadlines.otherMillis()).result();
        info = Messages.info(link.name(), expect(result, Result.KindCase.INFO).getInfo());
        preparedNetwork = network;
        preparedOffset = labelOffset;
    }

    /**
     * Brings a site that came back (a new session: it may have restarted and know nothing) or whose
     * last work did not count to where the experiment needs it: its data read, its network built,
     * its saved state restored.
     */
    private synchronized void ensureCurrent() {
        String session = link.session();
        boolean rejoined = syncedSession != null && session != null && !session.equals(syncedSession);
        if (!rejoined && !stale) {
            return;
        }
        if (rejoined) {
            describe();
            if (preparedNetwork != null) {
                prepare(preparedNetwork, preparedOffset);
            }
        }
        if (savedRound >= 0) {
            expect(call(Instruction.newBuilder().setRestore(RestoreState.newBuilder().setExperiment(savedExperiment)
                    .setRound(savedRound)), new byte[0], deadlines.otherMillis()).result(), Result.KindCase.DONE);
        }
        stale = false;
    }

    /** A call whose failure to come back leaves the site's state in doubt. */
    private <T> T guarded(Supplier<T> work) {
        ensureCurrent();
        try {
            return work.get();
        } catch (SiteUnavailableException e) {
            stale = true;
            throw e;
        }
    }

    @Override
    public ModelState initialModel(NetworkSpec spec, TensorScope scope) {
        ensureCurrent();
        SiteLink.Reply reply = call(Instruction.newBuilder().setInitialModel(BuildInitialModel.newBuilder()
                .setNetwork(Messages.network(spec)).setScope(scope.name())), new byte[0], deadlines.otherMillis());
        expect(reply.result(), Result.KindCase.MODEL);
        return decode(codecs.initial(), reply.payload(), "initial model").state();
    }

    @Override
    public Exchanged<ClientUpdate> train(TrainingTask task) {
        byte[] down = codecs.down().encode(task.global(), task.globalMask());
        SiteLink.Reply reply = guarded(() -> call(Instruction.newBuilder().setTrain(Messages.train(task)), down,
                deadlines.trainMillis()));
        Update update = expect(reply.result(), Result.KindCase.UPDATE).getUpdate();
        WireCodec.Payload payload = decode(codecs.up(), reply.payload(), "update for round " + task.round());
        ClientUpdate value = new ClientUpdate(link.name(), update.getRound(), payload.state(), payload.mask(),
                update.getSamples(), update.getMetricsMap(), update.getNotesMap());
        return new Exchanged<>(value, down.length, reply.payload().length, reply.wireDown(), reply.wireUp());
    }

    @Override
    public Exchanged<ClientEvaluation> evaluate(int round, ModelState global) {
        byte[] down = codecs.down().encode(global, null);
        SiteLink.Reply reply = guarded(() -> call(Instruction.newBuilder().setEvaluate(Evaluate.newBuilder()
                .setRound(round)), down, deadlines.otherMillis()));
        ClientEvaluation evaluation = new ClientEvaluation(link.name(), round,
                Messages.scores(expect(reply.result(), Result.KindCase.SCORES).getScores()));
        return new Exchanged<>(evaluation, down.length, 0, reply.wireDown(), reply.wireUp());
    }

    @Override
    public void checkpoint(String experiment, int round) {
        guarded(() -> expect(call(Instruction.newBuilder().setCheckpoint(SaveState.newBuilder()
                .setExperiment(experiment).setRound(round)), new byte[0], deadlines.otherMillis()).result(),
                Result.KindCase.DONE));
        savedExperiment = experiment;
        savedRound = round;
    }

    @Override
    public void restore(String experiment, int round) {
        // Recorded first: a site that is away now restores it when it is back.
        savedExperiment = experiment;
        savedRound = round;
        stale = true;
        ensureCurrent();
    }

    /**
     * The site's problems with what the experiment names, one per line as a site's check words them
     * ({@link SiteRequirements}); empty when it has all of it.
     */
    String check(SiteRequirements requirements) {
        return link.call(exchange(Instruction.newBuilder().setCheck(Messages.check(requirements)), new byte[0],
                deadlines.otherMillis())).result().getError();
    }

    /** Tells the site the experiment is over, without waiting long for it to say so. */
    @Override
    public void close() {
        if (!link.connected()) {
            return;
        }
        try {
            call(Instruction.newBuilder().setFinish(Finish.newBuilder().setReason("the experiment is over")),
                    new byte[0], 10_000);
        } catch (FedklprException e) {
            // The site may already be gone; it stops by itself when the coordinator does.
        }
        link.finished();
    }

    /** Sends the instruction, waits for the result, and turns a site's failure into an exception. */
    private SiteLink.Reply call(Instruction.Builder instruction, byte[] payload, long deadlineMillis) {
        SiteLink.Reply reply = link.call(exchange(instruction, payload, deadlineMillis));
        if (!reply.result().getError().isEmpty()) {
            throw new FedklprException("site " + link.name() + ": " + reply.result().getError());
        }
        return reply;
    }

    private SiteLink.Exchange exchange(Instruction.Builder instruction, byte[] payload, long deadlineMillis) {
        return new SiteLink.Exchange(instruction.setId(instructionIds.incrementAndGet())
                .setDeadlineMillis(System.currentTimeMillis() + deadlineMillis).setPayloadBytes(payload.length)
                .build(), payload);
    }

    private WireCodec.Payload decode(WireCodec codec, byte[] bytes, String what) {
        try {
            return codec.decode(bytes);
        } catch (FedklprException e) {
            throw new FedklprException("site " + link.name() + " sent an " + what + " that cannot be decoded: "
                    + e.getMessage(), e);
        }
    }

    private Result expect(Result result, Result.KindCase kind) {
        if (result.getKindCase() != kind) {
            throw new FedklprException("site " + link.name() + " answered with " + result.getKindCase() + " where "
                    + kind + " was expected");
        }
        return result;
    }
}
