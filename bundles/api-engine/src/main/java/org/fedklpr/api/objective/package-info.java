/**
 * Local objectives: the loss terms a client minimises in a round (identity cross-entropy,
 * triplet, KL regularisation, proximal term, and the camera-aware proxy loss of unsupervised
 * training). Terms are written against DJL's {@code NDArray},
 * the engine-neutral tensor API the engine bundle provides, so they take part in autograd.
 */
@Export
@Version("2.1.0")
package org.fedklpr.api.objective;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
