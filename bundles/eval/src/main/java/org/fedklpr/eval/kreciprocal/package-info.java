/**
 * The k-reciprocal encoding of Zhong et al. (CVPR 2017), shared by the evaluator's re-ranking and by
 * the pseudo-labelling of unsupervised training, which clusters on the same Jaccard distances.
 */
@Export
@Version("1.0.0")
package org.fedklpr.eval.kreciprocal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
