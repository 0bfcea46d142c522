package org.fedklpr.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * The live networks of the clients one factory started: at most {@code capacity} of them, however
 * many clients there are. A network stays with the client that used it last until another client
 * needs one; the pool then asks that client to {@link Tenant#park} what it keeps in the network
 * (its identity head and the mask in force; every call writes the global model over the backbone
 * first, so nothing else in a network outlives a call) and hands the network over, rebuilt when the
 * two clients' networks differ (their heads have as many classes as each has identities).
 *
 * <p>A client is never robbed while it works: it holds its {@link Tenant#lock} through each call, and
 * the pool takes a network only from a client whose lock it can take. With one client working at a
 * time (the simulation) one live network is enough; clients working at once wait for a free one.
 */
final class NetworkPool {
    /** A client as the pool sees it. */
    interface Tenant {
        /** Held by the client through each of its calls, and by the pool while it parks the client. */
        ReentrantLock lock();

        /** Saves what the client keeps in {@code network}, which is about to go to another client. */
        void park(ReidNetwork network);
    }

    /** Networks of one kind are interchangeable: the same engine and the same spec. */
    private record Kind(LearningEngine engine, NetworkSpec spec) {
    }

    private static final class Slot {
        final Kind kind;
        final ReidNetwork network;
        Tenant holder;
        long lastUsed;

        Slot(Kind kind, ReidNetwork network, Tenant holder) {
            this.kind = kind;
            this.network = network;
            this.holder = holder;
        }
    }

    private static final long RETRY_MILLIS = 50;

    private final ReentrantLock poolLock = new ReentrantLock();
    private final Condition released = poolLock.newCondition();
    private final List<Slot> slots = new ArrayList<>();
    /** The head of a newly built network of each kind: where a client's head starts. */
    private final Map<Kind, ModelState> initialHeads = new HashMap<>();
    private final Map<Tenant, Boolean> tenants = new IdentityHashMap<>();
    private int capacity;
    private long clock;

    /** @param capacity live networks at most; 0: no limit (every client keeps its own) */
    NetworkPool(int capacity) {
        setCapacity(capacity);
    }

    void setCapacity(int newCapacity) {
        if (newCapacity < 0) {
            throw new IllegalArgumentException("the number of live networks must be 0 (no limit) or more, got "
                    + newCapacity);
        }
        poolLock.lock();
        try {
            capacity = newCapacity;
            released.signalAll();
        } finally {
            poolLock.unlock();
        }
    }

    void join(Tenant tenant) {
        poolLock.lock();
        try {
            tenants.put(tenant, Boolean.TRUE);
        } finally {
            poolLock.unlock();
        }
    }

    /**
     * The tenant's network: the one it used last if no one took it, otherwise one taken from an idle
     * client (parked first) or newly built. The caller holds the tenant's lock; the network is the
     * tenant's until it parks.
     *
     * @param build builds a network of this spec with this engine when the pool needs a new one
     */
    ReidNetwork acquire(Tenant tenant, LearningEngine engine, NetworkSpec spec, Supplier<ReidNetwork> build) {
        Kind kind = new Kind(engine, spec);
        poolLock.lock();
        try {
            while (true) {
                Slot own = null;
                for (Slot slot : slots) {
                    if (slot.holder == tenant) {
                        own = slot;
                    }
                }
                if (own != null && own.kind.equals(kind)) {
                    return use(own);
                }
                if (own != null) {
                    // The tenant asks for another network than it had (prepared again with a new spec).
                    slots.remove(own);
                    own.network.close();
                }
                shrinkToCapacity();
                if (capacity == 0 || slots.size() < capacity) {
                    return use(newSlot(kind, tenant, build));
                }
                Slot taken = takeIdle(kind, tenant, build);
                if (taken != null) {
                    return use(taken);
                }
                released.await(RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free network", e);
        } finally {
            poolLock.unlock();
        }
    }

    /** The head a newly built network of this kind has; known once a network of it was acquired. */
    ModelState initialHead(LearningEngine engine, NetworkSpec spec) {
        poolLock.lock();
        try {
            ModelState head = initialHeads.get(new Kind(engine, spec));
            if (head == null) {
                throw new IllegalStateException("no network of " + spec + " was built yet");
            }
            return head;
        } finally {
            poolLock.unlock();
        }
    }

    /** Says that the tenant's call ended, so a client waiting for a network may take its one. */
    void done() {
        poolLock.lock();
        try {
            released.signalAll();
        } finally {
            poolLock.unlock();
        }
    }

    /**
     * The tenant is closed: its network (if it still has one) is closed, and once no tenant is left
     * the pool holds nothing, so that consecutive experiments start from the same footprint.
     */
    void leave(Tenant tenant) {
        poolLock.lock();
        try {
            slots.removeIf(slot -> {
                if (slot.holder == tenant) {
                    slot.network.close();
                    return true;
                }
                return false;
            });
            tenants.remove(tenant);
            if (tenants.isEmpty()) {
                slots.forEach(slot -> slot.network.close());
                slots.clear();
                initialHeads.clear();
            }
            released.signalAll();
        } finally {
            poolLock.unlock();
        }
    }

    /** Networks live now (for reports and tests). */
    int live() {
        poolLock.lock();
        try {
            return slots.size();
        } finally {
            poolLock.unlock();
        }
    }

    private ReidNetwork use(Slot slot) {
        slot.lastUsed = ++clock;
        return slot.network;
    }

    private Slot newSlot(Kind kind, Tenant tenant, Supplier<ReidNetwork> build) {
        ReidNetwork network = build.get();
        initialHeads.computeIfAbsent(kind, k -> network.read(TensorScope.HEAD));
        Slot slot = new Slot(kind, network, tenant);
        slots.add(slot);
        return slot;
    }

    /**
     * The least recently used network whose client is idle, parked and handed to {@code tenant}
     * (rebuilt if it is of another kind); {@code null} when every client that has one is working.
     */
    private Slot takeIdle(Kind kind, Tenant tenant, Supplier<ReidNetwork> build) {
        List<Slot> byAge = new ArrayList<>(slots);
        byAge.sort((a, b) -> Long.compare(a.lastUsed, b.lastUsed));
        for (Slot slot : byAge) {
            if (!parkHolder(slot)) {
                continue;
            }
            if (slot.kind.equals(kind)) {
                slot.holder = tenant;
                return slot;
            }
            slots.remove(slot);
            slot.network.close();
            return newSlot(kind, tenant, build);
        }
        return null;
    }

    /** After a capacity was lowered: idle clients give their networks back until it holds. */
    private void shrinkToCapacity() {
        if (capacity == 0) {
            return;
        }
        List<Slot> byAge = new ArrayList<>(slots);
        byAge.sort((a, b) -> Long.compare(a.lastUsed, b.lastUsed));
        for (Slot slot : byAge) {
            if (slots.size() <= capacity) {
                return;
            }
            if (parkHolder(slot)) {
                slots.remove(slot);
                slot.network.close();
            }
        }
    }

    /** Parks the slot's client if it is idle; {@code false} when it is working. */
    private static boolean parkHolder(Slot slot) {
        Tenant holder = slot.holder;
        if (holder == null) {
            return true;
        }
        if (!holder.lock().tryLock()) {
            return false;
        }
        try {
            holder.park(slot.network);
            slot.holder = null;
            return true;
        } finally {
            holder.lock().unlock();
        }
    }
}
