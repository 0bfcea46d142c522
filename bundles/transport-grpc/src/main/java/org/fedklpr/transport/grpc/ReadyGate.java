package org.fedklpr.transport.grpc;

import java.util.concurrent.TimeUnit;

import io.grpc.stub.CallStreamObserver;
import org.fedklpr.api.FedklprException;

/**
 * Sends a stream's messages no faster than the other side takes them: a model of hundreds of
 * megabytes is never queued whole in memory. The sender waits until gRPC says the stream is ready
 * (its flow-control window has room) before each message.
 */
final class ReadyGate {
    private final CallStreamObserver<?> stream;
    private final Object lock = new Object();
    private volatile boolean cancelled;

    /** Must be created before the call starts (client) or in the handler (server) so that it hears every change. */
    ReadyGate(CallStreamObserver<?> stream) {
        this.stream = stream;
        stream.setOnReadyHandler(this::signal);
    }

    void cancel() {
        cancelled = true;
        signal();
    }

    private void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Waits until the next message may be sent.
     *
     * @throws FedklprException when the call was cancelled or {@code deadlineNanos} passed first
     */
    void awaitReady(long deadlineNanos, String what) {
        synchronized (lock) {
            while (!stream.isReady() && !cancelled) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new FedklprException(what + ": the other side took nothing for too long");
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FedklprException(what + ": interrupted", e);
                }
            }
        }
        if (cancelled) {
            throw new FedklprException(what + ": the connection closed");
        }
    }
}
