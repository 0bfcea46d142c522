package org.fedklpr.transport.grpc;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.transport.SiteUnavailableException;
import org.fedklpr.transport.grpc.proto.Instruction;
import org.fedklpr.transport.grpc.proto.Result;

/**
 * The coordinator's side of one site: its current session, the instructions waiting for it and
 * those it is working on. The gRPC handlers hand instructions out and results in; the experiment's
 * thread waits for a result with a deadline. A result is taken once, from the session that was
 * given the instruction, while the coordinator still waits for it: anything else is refused.
 */
final class SiteLink {
    private static final System.Logger LOG = System.getLogger(SiteLink.class.getName());
    /** An instruction with its payload, on its way to the site, and where its result goes. */
    static final class Exchange {
        final Instruction instruction;
        final byte[] payload;
        final CompletableFuture<Reply> reply = new CompletableFuture<>();
        /** The session the instruction was handed to. */
        String session;
        long wireDown;

        Exchange(Instruction instruction, byte[] payload) {
            this.instruction = instruction;
            this.payload = payload;
        }

        String kind() {
            return instruction.getKindCase().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A result as it arrived, with the bytes each way as gRPC messages (the length prefix included). */
    record Reply(Result result, byte[] payload, long wireDown, long wireUp) {
    }

    private final String name;
    private String session;
    private boolean connected;
    private String lostBecause = "it has not joined yet";
    private final Deque<Exchange> waiting = new ArrayDeque<>();
    private final Map<Long, Exchange> inFlight = new HashMap<>();

    SiteLink(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /**
     * A new session for the site: whatever the previous one was working on is lost (the site
     * may have restarted); instructions not yet handed out wait for the new one.
     */
    synchronized String join() {
        if (session != null) {
            failInFlight("the site joined again (a new session) while working on it");
        }
        session = UUID.randomUUID().toString();
        connected = true;
        notifyAll();
        return session;
    }

    /** The current session, or null before the site first joined. */
    synchronized String session() {
        return session;
    }

    synchronized boolean isSession(String candidate) {
        return session != null && session.equals(candidate);
    }

    synchronized boolean connected() {
        return connected;
    }

    synchronized String lostBecause() {
        return lostBecause;
    }

    /**
     * The site was told the experiment is over and stops: its session ends here, so that a later
     * experiment in this runtime waits for it to join again instead of sending to no one.
     */
    synchronized void finished() {
        connected = false;
        session = null;
        lostBecause = "it was told the last experiment was over";
        notifyAll();
    }

    /** Waits until the site has joined, or {@code millis} passed. */
    synchronized boolean awaitJoined(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!connected) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** The connection of {@code lostSession} went away: its work in flight fails at once. */
    synchronized void lost(String lostSession, String why) {
        if (lostSession == null || !lostSession.equals(session)) {
            return;
        }
        connected = false;
        lostBecause = why;
        LOG.log(System.Logger.Level.WARNING, "site " + name + " lost: " + why + (inFlight.isEmpty() ? ""
                : " (it was working on " + inFlight.size() + " instruction(s), which fail)"));
        failInFlight(why);
        notifyAll();
    }

    private void failInFlight(String why) {
        for (Exchange exchange : inFlight.values()) {
            exchange.reply.completeExceptionally(new SiteUnavailableException(SiteUnavailableException.LOST, "site "
                    + name + ": " + why + " (" + exchange.kind() + ")"));
        }
        inFlight.clear();
    }

    /**
     * The next instruction for {@code forSession}, handed out (it counts as in flight from here),
     * or null when none came within {@code millis} or the session ended.
     */
    synchronized Exchange take(String forSession, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (waiting.isEmpty() && isSession(forSession)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        if (!isSession(forSession)) {
            return null;
        }
        Exchange exchange = waiting.poll();
        exchange.session = forSession;
        inFlight.put(exchange.instruction.getId(), exchange);
        return exchange;
    }

    /** The exchange a Submit names, if this session was given it and its result is still awaited. */
    synchronized Exchange started(String fromSession, long instruction) {
        Exchange exchange = inFlight.get(instruction);
        return exchange != null && fromSession.equals(exchange.session) ? exchange : null;
    }

    /** The result arrived: the waiting experiment gets it; a second one for the same instruction will not. */
    synchronized boolean answered(Exchange exchange, Reply reply) {
        if (inFlight.remove(exchange.instruction.getId()) != exchange) {
            return false;
        }
        return exchange.reply.complete(reply);
    }

    /** A result that cannot be used: the waiting experiment hears why. */
    synchronized void failed(Exchange exchange, String why) {
        if (inFlight.remove(exchange.instruction.getId()) == exchange) {
            exchange.reply.completeExceptionally(new FedklprException("site " + name + ": " + why));
        }
    }

    /**
     * Sends {@code exchange} and waits for its result until the instruction's deadline. A result
     * that says the site could not carry the instruction out is returned as any other.
     *
     * @throws FedklprException when the site is not connected, goes away or misses the deadline; the
     *         message says which
     */
    Reply call(Exchange exchange) {
        synchronized (this) {
            if (!connected) {
                throw new SiteUnavailableException(SiteUnavailableException.LOST, "site " + name + " is not connected: "
                        + lostBecause);
            }
            waiting.add(exchange);
            notifyAll();
        }
        long left = exchange.instruction.getDeadlineMillis() - System.currentTimeMillis();
        try {
            return exchange.reply.get(Math.max(1, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            synchronized (this) {
                waiting.remove(exchange);
                inFlight.remove(exchange.instruction.getId());
            }
            throw new SiteUnavailableException(SiteUnavailableException.LATE, "site " + name + " did not answer "
                    + exchange.kind() + " within its deadline (" + Math.max(0, left / 1000) + " s); a late answer will"
                    + " be refused", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof FedklprException cause ? cause
                    : new FedklprException("site " + name + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted while waiting for site " + name, e);
        }
    }
}
