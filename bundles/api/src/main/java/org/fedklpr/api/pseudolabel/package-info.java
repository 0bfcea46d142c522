/**
 * Unsupervised local training: a site without identity labels groups its own images into
 * pseudo-identities with the current model, and trains on those.
 */
@Export
@Version("1.0.0")
package org.fedklpr.api.pseudolabel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
