/**
 * Unstructured pruning: pruners that choose which weights to drop, and controllers that choose
 * each client's pruning ratio round by round.
 */
@Export
@Version("2.0.0")
package org.fedklpr.api.pruning;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
