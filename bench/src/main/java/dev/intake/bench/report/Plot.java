package dev.intake.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A small line chart as PNG, drawn with java.awt (headless): p50 in ms against experiment size on a log axis (and
 * ms on a log axis too when the figures span more than a decade and a half).
 * No plotting library, so nothing to pin beyond the JDK.
 */
final class Plot {
    private static final int W = 900;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 80;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e)};

    private Plot() {
    }

    /**
     * @param series name to points (x = sessions, y = ms), in legend order; a name starting with "engine " is drawn
     *               dashed, one starting with "upstream " as squares, each in the colour of the series of the same
     *               name after its first word (the API's), so a path, its engine floor and upstream's figure pair up
     */
    static void write(Path file, String title, Map<String, List<double[]>> series) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double lo = Math.floor(Math.log10(minX));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(maxX)));
        // figures spanning more than a decade and a half (a page beside a whole export) get a log axis too
        boolean logY = minY > 0 && maxY / minY > 30;
        double yLo = logY ? Math.floor(Math.log10(minY)) : 0;
        double yHi = logY ? Math.ceil(Math.log10(maxY)) : niceCeiling(maxY * 1.1);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int ticks = logY ? (int) (yHi - yLo) : 5;
        for (int i = 0; i <= ticks; i++) {
            int y = TOP + plotH - (int) (plotH * i / (double) ticks);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            double value = logY ? Math.pow(10, yLo + i) : yHi * i / ticks;
            g.drawString(String.format("%,.0f", value), LEFT - 45, y + 4);
        }
        for (double d = lo; d <= hi; d++) {
            int x = LEFT + (int) (plotW * (d - lo) / (hi - lo));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%,.0f", Math.pow(10, d)), x - 20, TOP + plotH + 20);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("sessions in the experiment (log scale)", LEFT + plotW / 2 - 110, H - 25);
        g.rotate(-Math.PI / 2);
        g.drawString("p50 latency, ms" + (logY ? " (log scale)" : ""), -(TOP + plotH / 2 + 45), 25);
        g.rotate(Math.PI / 2);
        List<String> colourKeys = new java.util.ArrayList<>();
        int s = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            boolean engine = e.getKey().startsWith("engine ");
            boolean upstream = e.getKey().startsWith("upstream ");
            String colourKey = e.getKey().substring(e.getKey().indexOf(' ') + 1);
            if (!colourKeys.contains(colourKey)) {
                colourKeys.add(colourKey);
            }
            Color c = COLORS[colourKeys.indexOf(colourKey) % COLORS.length];
            g.setColor(c);
            g.setStroke(engine ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 5f}, 0f) : new BasicStroke(2.5f));
            int[] prev = null;
            for (double[] p : e.getValue()) {
                int x = LEFT + (int) (plotW * (Math.log10(p[0]) - lo) / (hi - lo));
                double fraction = logY ? (Math.log10(p[1]) - yLo) / (yHi - yLo) : p[1] / yHi;
                int y = TOP + plotH - (int) (plotH * fraction);
                if (engine) {
                    g.drawOval(x - 3, y - 3, 6, 6);
                } else if (upstream) {
                    g.fillRect(x - 6, y - 6, 12, 12);
                    g.drawString(String.format("upstream %.0f", p[1]), x + 9, y + 4);
                } else {
                    g.fillOval(x - 5, y - 5, 10, 10);
                    g.drawString(String.format("%.1f", p[1]), x + 8, y - 6);
                }
                if (prev != null) {
                    g.drawLine(prev[0], prev[1], x, y);
                }
                prev = new int[] {x, y};
            }
            if (!engine && !upstream) { // the legend names each path once, in its colour
                int ly = TOP + 22 + 22 * s++;
                g.fillRect(LEFT + 15, ly - 6, 18, 4);
                g.setColor(Color.BLACK);
                g.drawString(colourKey, LEFT + 40, ly);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static double niceCeiling(double v) {
        double step = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * step >= v) {
                return m * step;
            }
        }
        return 10 * step;
    }
}
