/**
 * The federation: clients (camera sites) that keep their images and train locally, and the messages
 * the coordinator exchanges with them.
 */
@Export
@Version("5.2.0")
package org.fedklpr.api.federation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
