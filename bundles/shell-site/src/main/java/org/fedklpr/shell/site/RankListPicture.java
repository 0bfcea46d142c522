package org.fedklpr.shell.site;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.eval.RankedList;

/**
 * One query's rank list as a picture, torchreid's visrank layout: the query crop, a gap, then the
 * gallery crops nearest first, each framed by what it is: green a correct match, red a wrong one,
 * grey and struck through an entry the protocol leaves out (junk, or the query's person seen by the
 * query's camera). No text is drawn, so no font is needed on a headless machine; the page beside the
 * pictures carries ranks, distances and names.
 */
final class RankListPicture {
    static final int TILE_WIDTH = 64;
    static final int TILE_HEIGHT = 128;
    private static final int BORDER = 4;
    private static final int GAP = 4;
    private static final int QUERY_GAP = 20;
    static final Color QUERY = new Color(0x1f, 0x77, 0xb4);
    static final Color MATCH = new Color(0x2c, 0xa0, 0x2c);
    static final Color MISMATCH = new Color(0xd6, 0x27, 0x28);
    static final Color LEFT_OUT = new Color(0x99, 0x99, 0x99);

    private RankListPicture() {
    }

    /** @param gallery the image file of every entry of {@code list}, in its order */
    static BufferedImage draw(Path query, RankedList list, List<Path> gallery) {
        int framed = TILE_WIDTH + 2 * BORDER;
        int width = framed + QUERY_GAP + list.entries().size() * (framed + GAP);
        BufferedImage picture = new BufferedImage(width, TILE_HEIGHT + 2 * BORDER, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = picture.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, picture.getWidth(), picture.getHeight());
            tile(graphics, query, 0, QUERY, false);
            int x = framed + QUERY_GAP;
            for (int i = 0; i < list.entries().size(); i++) {
                RankedList.Verdict verdict = list.entries().get(i).verdict();
                Color frame = switch (verdict) {
                    case MATCH -> MATCH;
                    case MISMATCH -> MISMATCH;
                    case JUNK, SAME_CAMERA -> LEFT_OUT;
                };
                tile(graphics, gallery.get(i), x, frame, !verdict.counts());
                x += framed + GAP;
            }
        } finally {
            graphics.dispose();
        }
        return picture;
    }

    private static void tile(Graphics2D graphics, Path file, int x, Color frame, boolean leftOut) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new FedklprException("cannot read " + file + " for the rank list: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new FedklprException("cannot read " + file + " for the rank list: not an image ImageIO reads");
        }
        graphics.setColor(frame);
        graphics.fillRect(x, 0, TILE_WIDTH + 2 * BORDER, TILE_HEIGHT + 2 * BORDER);
        graphics.drawImage(image, x + BORDER, BORDER, TILE_WIDTH, TILE_HEIGHT, null);
        if (leftOut) {
            graphics.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.6f));
            graphics.setColor(Color.WHITE);
            graphics.fillRect(x + BORDER, BORDER, TILE_WIDTH, TILE_HEIGHT);
            graphics.setComposite(AlphaComposite.SrcOver);
            graphics.setColor(LEFT_OUT);
            graphics.setStroke(new BasicStroke(3));
            graphics.drawLine(x + BORDER, BORDER, x + BORDER + TILE_WIDTH, BORDER + TILE_HEIGHT);
        }
    }
}
