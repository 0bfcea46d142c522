/**
 * Experiments: the round loop as a service, its per-round records, and listeners that see each
 * round as it completes.
 */
@Export
@Version("2.2.0")
package org.fedklpr.api.experiment;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
