package org.fedklpr.data.formats;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person and camera from the file names the re-ID benchmarks use:
 * <ul>
 * <li>Market-1501 and CUHK03-NP: {@code 0002_c1s1_000451_03.jpg} (person 2, camera 1, sequence 1,
 * frame 451, box 3); {@code -1_c3s2_013425_02.jpg} is junk, {@code 0000_...} a distractor;</li>
 * <li>DukeMTMC-reID: {@code 0005_c2_f0046985.jpg};</li>
 * <li>the small sets of the FedReID benchmark (PRID2011, CUHK01, VIPeR, 3DPeS, iLIDS-VID):
 * {@code cam_<camera>_<person>_<index>}, e.g. {@code cam_2_0031_00.png}.</li>
 * </ul>
 * Cameras are 1-based; camera 0 is not a valid name.
 */
record ReidFileName(int personId, int camera) {
    static final String EXAMPLES = "0002_c1s1_000451_03.jpg, 0005_c2_f0046985.jpg or cam_1_0002_00.png";
    private static final String IMAGE = "\\.(jpe?g|png|bmp)";
    private static final Pattern MARKET = Pattern.compile("(-1|\\d+)_c(\\d+)(?:s\\d+)?_[^.]+" + IMAGE);
    private static final Pattern SMALL_SET = Pattern.compile("cam_(\\d+)_(-1|\\d+)_\\d+" + IMAGE);

    static Optional<ReidFileName> parse(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        Matcher market = MARKET.matcher(name);
        if (market.matches()) {
            return of(market.group(1), market.group(2));
        }
        Matcher small = SMALL_SET.matcher(name);
        if (small.matches()) {
            return of(small.group(2), small.group(1));
        }
        return Optional.empty();
    }

    private static Optional<ReidFileName> of(String person, String camera) {
        try {
            int cameraNumber = Integer.parseInt(camera);
            return cameraNumber == 0 ? Optional.empty()
                    : Optional.of(new ReidFileName(Integer.parseInt(person), cameraNumber));
        } catch (NumberFormatException e) {
            return Optional.empty(); // digits beyond int range: not a name we know
        }
    }
}
