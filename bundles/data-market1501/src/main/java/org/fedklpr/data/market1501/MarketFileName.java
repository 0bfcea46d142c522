package org.fedklpr.data.market1501;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person and camera from a Market-1501 style file name:
 * {@code 0002_c1s1_000451_03.jpg} (Market-1501, CUHK03-NP: person 2, camera 1, sequence 1, frame
 * 451, box 3), {@code -1_c3s2_013425_02.jpg} (junk), {@code 0005_c2_f0046985.jpg} (DukeMTMC-reID).
 */
record MarketFileName(int personId, int camera) {
    static final String EXAMPLE = "0002_c1s1_000451_03.jpg";
    private static final Pattern NAME = Pattern.compile("(-1|\\d+)_c(\\d+)(?:s\\d+)?_[^.]+\\.(jpe?g|png|bmp)");

    static Optional<MarketFileName> parse(String fileName) {
        Matcher matcher = NAME.matcher(fileName.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int camera = Integer.parseInt(matcher.group(2));
        if (camera == 0) {
            return Optional.empty();
        }
        return Optional.of(new MarketFileName(Integer.parseInt(matcher.group(1)), camera));
    }
}
