/**
 * Compression of what a site sends: its update reduced to fewer values, with what was left out
 * carried to later rounds (error feedback).
 */
@Export
@Version("1.0.0")
package org.fedklpr.api.compression;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
