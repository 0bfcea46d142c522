package org.fedklpr.api.transport;

/**
 * A reply with the traffic it cost: the payload bytes sent to the client and received from it, as
 * the wire codec encoded them (comparable between transports), and what the transport measured on
 * its wire, framing included.
 *
 * @param wireBytesDown bytes on the wire towards the client, or -1 where there is no wire (in-process)
 * @param wireBytesUp bytes on the wire from the client, or -1
 */
public record Exchanged<T>(T value, long bytesDown, long bytesUp, long wireBytesDown, long wireBytesUp) {

    /** A reply of a transport without a wire of its own: only payload bytes are counted. */
    public Exchanged(T value, long bytesDown, long bytesUp) {
        this(value, bytesDown, bytesUp, -1, -1);
    }
}
