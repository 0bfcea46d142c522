package org.fedklpr.settings;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a mistyped one most likely meant: the smallest edit distance (insertions,
 * deletions, substitutions and swaps of neighbours, ignoring case), if it is small for the name's
 * length, or a known name that ends with what was typed. Written here rather than taken from
 * Commons Text: one short function, not worth two more bundles in every runtime.
 */
final class NearestName {
    private NearestName() {
    }

    static Optional<String> of(String typed, Collection<String> known) {
        String lower = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best != null && bestDistance <= Math.max(2, typed.length() / 4)) {
            return Optional.of(best);
        }
        // "org.fedklpr.kll" for "org.fedklpr.loss.kll": the last part of the name is right; "epochs"
        // for "localEpochs": the last word of a key is right.
        String tail = lower.substring(lower.lastIndexOf('.') + 1);
        boolean key = !lower.contains(".");
        return known.stream().filter(k -> tail.length() >= (key ? 4 : 1)
                && k.toLowerCase(Locale.ROOT).endsWith(key ? tail : "." + tail)).findFirst();
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
