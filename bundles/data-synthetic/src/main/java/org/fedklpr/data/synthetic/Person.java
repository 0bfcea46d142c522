package org.fedklpr.data.synthetic;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * What makes one pedestrian recognisable: body proportions, clothing colours and patterns,
 * accessories. Drawn from a seed, so a person looks the same in every camera that sees them.
 */
record Person(float height, float shoulders, float headSize, float legShare, Color skin, Color hair, boolean longHair,
        Color upper, Color upperAccent, Pattern pattern, boolean shortSleeves, Color lower, Lower lowerKind,
        Color shoes, Color backpack, Color bag, boolean bagOnLeft, Color hat) {

    enum Pattern { SOLID, HORIZONTAL_STRIPES, VERTICAL_STRIPES, CHECKS, LOGO }

    enum Lower { TROUSERS, SHORTS, SKIRT }

    private static final Color[] SKIN = {new Color(241, 194, 167), new Color(224, 172, 105),
        new Color(198, 134, 66), new Color(141, 85, 36), new Color(92, 60, 40)};
    private static final Color[] HAIR = {new Color(20, 20, 20), new Color(70, 45, 25), new Color(140, 95, 50),
        new Color(200, 170, 90), new Color(150, 150, 150)};

    static Person random(SplittableRandom random) {
        Pattern[] patterns = Pattern.values();
        Lower[] lowers = Lower.values();
        return new Person(
                0.80f + 0.14f * random.nextFloat(),
                0.30f + 0.14f * random.nextFloat(),
                0.11f + 0.04f * random.nextFloat(),
                0.44f + 0.10f * random.nextFloat(),
                SKIN[random.nextInt(SKIN.length)],
                HAIR[random.nextInt(HAIR.length)],
                random.nextInt(3) == 0,
                clothing(random),
                clothing(random),
                patterns[random.nextInt(patterns.length)],
                random.nextBoolean(),
                clothing(random),
                random.nextInt(4) == 0 ? lowers[1 + random.nextInt(2)] : Lower.TROUSERS,
                clothing(random).darker(),
                random.nextInt(3) == 0 ? clothing(random) : null,
                random.nextInt(4) == 0 ? clothing(random) : null,
                random.nextBoolean(),
                random.nextInt(5) == 0 ? clothing(random) : null);
    }

    /** Clothing colours: mostly muted, sometimes vivid, sometimes near black or white. */
    private static Color clothing(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> Color.getHSBColor(0, 0, 0.08f + 0.12f * random.nextFloat());
            case 1 -> Color.getHSBColor(0, 0, 0.75f + 0.2f * random.nextFloat());
            case 2, 3 -> Color.getHSBColor(random.nextFloat(), 0.7f + 0.3f * random.nextFloat(),
                    0.5f + 0.5f * random.nextFloat());
            default -> Color.getHSBColor(random.nextFloat(), 0.2f + 0.4f * random.nextFloat(),
                    0.3f + 0.5f * random.nextFloat());
        };
    }
}
