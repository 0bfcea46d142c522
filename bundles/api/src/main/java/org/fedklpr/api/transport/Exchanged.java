package org.fedklpr.api.transport;

/**
 * A reply with the traffic it cost: bytes sent to the client and bytes received from it, as
 * encoded on the wire.
 */
public record Exchanged<T>(T value, long bytesDown, long bytesUp) {
}
