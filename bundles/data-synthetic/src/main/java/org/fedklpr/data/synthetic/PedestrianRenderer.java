package org.fedklpr.data.synthetic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.SplittableRandom;

/** Draws backgrounds, pedestrians and occluders with Java2D. */
final class PedestrianRenderer {
    enum View { FRONT, BACK, SIDE }

    private PedestrianRenderer() {
    }

    static void background(Graphics2D g, CameraStyle style, SplittableRandom random, int width, int height) {
        int horizon = Math.round(height * (style.horizon() + 0.06f * (random.nextFloat() - 0.5f)));
        g.setColor(style.wall());
        g.fillRect(0, 0, width, horizon);
        g.setColor(style.floor());
        g.fillRect(0, horizon, width, height - horizon);
        switch (style.texture()) {
            case 0 -> { // windows or posters on the wall
                g.setColor(style.wall().darker());
                for (int x = random.nextInt(12); x < width; x += 14 + random.nextInt(10)) {
                    g.fillRect(x, 6 + random.nextInt(10), 6 + random.nextInt(6), horizon / 2);
                }
            }
            case 1 -> { // floor tiles
                g.setColor(style.floor().brighter());
                for (int y = horizon + 4; y < height; y += 7) {
                    g.drawLine(0, y, width, y);
                }
            }
            default -> { // foliage or clutter
                for (int i = 0; i < 25; i++) {
                    g.setColor(jitter(style.wall(), random, 40));
                    g.fillOval(random.nextInt(width), random.nextInt(Math.max(1, horizon)), 4 + random.nextInt(8),
                            4 + random.nextInt(8));
                }
            }
        }
    }

    /**
     * @param scale fraction of the image height the person's own height is multiplied with
     * @param offsetX horizontal displacement of the body's centre, in pixels
     * @param stride how far apart the feet are, in [0, 1]
     */
    static void person(Graphics2D g, Person p, View view, float scale, float offsetX, float stride, int width,
            int height) {
        float total = height * p.height() * scale;
        float top = height - 3 - total;
        float cx = width / 2f + offsetX;
        float headH = total * p.headSize();
        float headW = headH * 0.8f;
        float legsH = total * p.legShare();
        float torsoH = total - headH - legsH;
        float shoulders = width * p.shoulders() * (view == View.SIDE ? 0.62f : 1f);
        float torsoTop = top + headH * 0.95f;
        float hip = torsoTop + torsoH;
        boolean bagLeft = p.bagOnLeft() ^ (view == View.BACK);

        if (p.backpack() != null && view == View.SIDE) {
            g.setColor(p.backpack());
            g.fill(new RoundRectangle2D.Float(cx - shoulders / 2 - shoulders * 0.45f, torsoTop + torsoH * 0.1f,
                    shoulders * 0.55f, torsoH * 0.6f, 4, 4));
        }
        legs(g, p, cx, shoulders, hip, legsH, stride, view);
        // arms
        float armW = Math.max(2f, shoulders * 0.17f);
        float armH = torsoH * 0.95f;
        for (int side = -1; side <= 1; side += 2) {
            if (view == View.SIDE && side < 0) {
                continue;
            }
            float x = view == View.SIDE ? cx - armW / 2 : cx + side * (shoulders / 2 + armW / 2) - armW / 2;
            g.setColor(p.skin());
            g.fill(new Rectangle2D.Float(x, torsoTop + 1, armW, armH));
            g.setColor(p.upper());
            g.fill(new Rectangle2D.Float(x, torsoTop + 1, armW, armH * (p.shortSleeves() ? 0.4f : 0.88f)));
        }
        // torso and its pattern
        Shape torso = new RoundRectangle2D.Float(cx - shoulders / 2, torsoTop, shoulders, torsoH, 6, 6);
        if (view == View.SIDE) {
            // The arm lies over the torso in side view: draw the torso first, then the arm again.
            g.setColor(p.upper());
            g.fill(torso);
            pattern(g, p, torso, view);
            g.setColor(p.upper().darker());
            g.fill(new Rectangle2D.Float(cx - armW / 2, torsoTop + 1, armW, armH * (p.shortSleeves() ? 0.4f : 0.88f)));
        } else {
            g.setColor(p.upper());
            g.fill(torso);
            pattern(g, p, torso, view);
        }
        if (p.backpack() != null) {
            g.setColor(p.backpack());
            if (view == View.BACK) {
                g.fill(new RoundRectangle2D.Float(cx - shoulders * 0.38f, torsoTop + torsoH * 0.08f, shoulders * 0.76f,
                        torsoH * 0.62f, 5, 5));
            } else if (view == View.FRONT) {
                g.setStroke(new BasicStroke(Math.max(1.5f, shoulders * 0.06f)));
                g.drawLine(Math.round(cx - shoulders * 0.3f), Math.round(torsoTop), Math.round(cx - shoulders * 0.3f),
                        Math.round(torsoTop + torsoH * 0.6f));
                g.drawLine(Math.round(cx + shoulders * 0.3f), Math.round(torsoTop), Math.round(cx + shoulders * 0.3f),
                        Math.round(torsoTop + torsoH * 0.6f));
                g.setStroke(new BasicStroke(1f));
            }
        }
        if (p.bag() != null && view != View.SIDE) {
            g.setColor(p.bag());
            float bagX = bagLeft ? cx - shoulders / 2 - armW * 1.6f : cx + shoulders / 2 + armW * 0.6f;
            g.fill(new RoundRectangle2D.Float(bagX, hip - torsoH * 0.15f, armW * 2f, torsoH * 0.35f, 3, 3));
        }
        head(g, p, view, cx, top, headW, headH, torsoH);
    }

    private static void legs(Graphics2D g, Person p, float cx, float shoulders, float hip, float legsH, float stride,
            View view) {
        float legW = shoulders * (view == View.SIDE ? 0.55f : 0.4f);
        float spread = stride * legW * (view == View.SIDE ? 1.6f : 0.5f);
        float covered = switch (p.lowerKind()) {
            case TROUSERS -> 0.95f;
            case SHORTS -> 0.4f;
            case SKIRT -> 0f;
        };
        for (int side = -1; side <= 1; side += 2) {
            float baseX = view == View.SIDE ? cx - legW / 2 : cx + side * legW * 0.55f - legW / 2;
            Path2D.Float leg = new Path2D.Float();
            leg.moveTo(baseX, hip);
            leg.lineTo(baseX + legW, hip);
            leg.lineTo(baseX + legW + side * spread, hip + legsH);
            leg.lineTo(baseX + side * spread, hip + legsH);
            leg.closePath();
            g.setColor(p.skin());
            g.fill(leg);
            g.setColor(p.lower());
            g.fill(new Rectangle2D.Float(baseX + Math.min(0, side * spread), hip, legW + Math.abs(spread),
                    legsH * covered));
            g.setColor(p.shoes());
            g.fill(new Rectangle2D.Float(baseX + side * spread - 1, hip + legsH - 3, legW + 2, 3));
        }
        if (p.lowerKind() == Person.Lower.SKIRT) {
            Path2D.Float skirt = new Path2D.Float();
            skirt.moveTo(cx - shoulders * 0.45f, hip - 2);
            skirt.lineTo(cx + shoulders * 0.45f, hip - 2);
            skirt.lineTo(cx + shoulders * 0.6f, hip + legsH * 0.45f);
            skirt.lineTo(cx - shoulders * 0.6f, hip + legsH * 0.45f);
            skirt.closePath();
            g.setColor(p.lower());
            g.fill(skirt);
        }
    }

    private static void pattern(Graphics2D g, Person p, Shape torso, View view) {
        Shape previousClip = g.getClip();
        g.clip(torso);
        Rectangle2D box = torso.getBounds2D();
        g.setColor(p.upperAccent());
        switch (p.pattern()) {
            case HORIZONTAL_STRIPES -> {
                for (double y = box.getY() + 2; y < box.getMaxY(); y += 5) {
                    g.fill(new Rectangle2D.Double(box.getX(), y, box.getWidth(), 2));
                }
            }
            case VERTICAL_STRIPES -> {
                for (double x = box.getX() + 1; x < box.getMaxX(); x += 5) {
                    g.fill(new Rectangle2D.Double(x, box.getY(), 2, box.getHeight()));
                }
            }
            case CHECKS -> {
                for (double y = box.getY(); y < box.getMaxY(); y += 6) {
                    for (double x = box.getX() + ((int) ((y - box.getY()) / 6) % 2) * 3; x < box.getMaxX(); x += 6) {
                        g.fill(new Rectangle2D.Double(x, y, 3, 3));
                    }
                }
            }
            case LOGO -> {
                // A print on the chest: only the front shows it.
                if (view == View.FRONT) {
                    g.fill(new Rectangle2D.Double(box.getCenterX() - box.getWidth() * 0.2, box.getY() + box.getHeight() * 0.2,
                            box.getWidth() * 0.4, box.getHeight() * 0.25));
                }
            }
            default -> {
            }
        }
        g.setClip(previousClip);
    }

    private static void head(Graphics2D g, Person p, View view, float cx, float top, float headW, float headH,
            float torsoH) {
        if (p.longHair() && view != View.FRONT) {
            g.setColor(p.hair());
            g.fill(new Rectangle2D.Float(cx - headW / 2, top + headH / 2, headW, headH * 0.5f + torsoH * 0.3f));
        }
        Ellipse2D.Float face = new Ellipse2D.Float(cx - headW / 2, top, headW, headH);
        g.setColor(view == View.BACK ? p.hair() : p.skin());
        g.fill(face);
        g.setColor(p.hair());
        if (view == View.FRONT) {
            g.fill(new Ellipse2D.Float(cx - headW / 2, top - 1, headW, headH * 0.45f));
            if (p.longHair()) {
                g.fill(new Rectangle2D.Float(cx - headW / 2 - 1, top + headH * 0.2f, 2.5f, headH * 0.9f));
                g.fill(new Rectangle2D.Float(cx + headW / 2 - 1.5f, top + headH * 0.2f, 2.5f, headH * 0.9f));
            }
        } else if (view == View.SIDE) {
            g.fill(new Ellipse2D.Float(cx - headW / 2, top - 1, headW * 0.7f, headH * 0.8f));
        }
        if (p.hat() != null) {
            g.setColor(p.hat());
            g.fill(new Rectangle2D.Float(cx - headW / 2, top - headH * 0.15f, headW, headH * 0.35f));
            g.fill(new Rectangle2D.Float(cx - headW * 0.7f, top + headH * 0.12f, headW * 1.4f, 2f));
        }
    }

    /** Something between camera and person: a pole, a bin, a car's bonnet, another passer-by. */
    static void occluder(Graphics2D g, SplittableRandom random, int width, int height) {
        g.setColor(jitter(new Color(90, 90, 90), random, 70));
        switch (random.nextInt(3)) {
            case 0 -> g.fillRect(random.nextInt(width), 0, 4 + random.nextInt(6), height);
            case 1 -> {
                int h = height / 5 + random.nextInt(height / 4);
                g.fillRoundRect(-4 + random.nextInt(width / 2), height - h, width / 2 + random.nextInt(width), h + 4, 10,
                        10);
            }
            default -> {
                int w = width / 3 + random.nextInt(width / 3);
                int x = random.nextBoolean() ? -w / 3 : width - 2 * w / 3;
                g.fillRoundRect(x, height / 6, w, height, 12, 12);
            }
        }
    }

    static Color jitter(Color color, SplittableRandom random, int amount) {
        return new Color(clamp(color.getRed() + random.nextInt(2 * amount + 1) - amount),
                clamp(color.getGreen() + random.nextInt(2 * amount + 1) - amount),
                clamp(color.getBlue() + random.nextInt(2 * amount + 1) - amount));
    }

    static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
