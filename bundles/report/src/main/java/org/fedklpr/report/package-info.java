/**
 * The pages a person looks at: {@code report.html} of a run ({@link org.fedklpr.report.RunReport},
 * rewritten after every round by a round listener) and of a comparison
 * ({@link org.fedklpr.report.ComparisonPage}). Each is one self-contained file: charts drawn by
 * uPlot, carried inside the page, from the run's published logs.
 */
@Export
@Version("1.0.0")
package org.fedklpr.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
