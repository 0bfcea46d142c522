/**
 * Model weights as plain data: named float tensors, their pruning masks, and the scope of
 * tensors a federated algorithm exchanges.
 */
@Export
@Version("1.1.0")
package org.fedklpr.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
