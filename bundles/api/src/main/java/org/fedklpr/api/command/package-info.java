/**
 * Commands of the {@code fedklpr} command line that bundles contribute (a whiteboard of services).
 */
@Export
@Version("1.0.0")
package org.fedklpr.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
