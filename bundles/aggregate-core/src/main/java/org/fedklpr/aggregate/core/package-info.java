/**
 * Arithmetic that aggregation strategies share: checking that client updates fit together and
 * averaging them element by element with per-client weights. Strategies decide the weights; this
 * package does the memory-bound part once, without boxing or per-element objects.
 */
@Export
@Version("1.0.0")
package org.fedklpr.aggregate.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
