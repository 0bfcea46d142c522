/**
 * Transports carry tasks down to clients and updates back, through a {@link WireCodec}; the bytes
 * they report are the sizes of the encoded payloads.
 */
@Export
@Version("3.1.0")
package org.fedklpr.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
