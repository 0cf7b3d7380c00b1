package dev.netc.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A {@link Scene} as a PNG, drawn with Java2D and written by ImageIO (both in the JDK: no rasterizer library).
 * Drawn at {@code scale} times the scene's size (2 for sharp text on high-density screens), capped so that the
 * image stays under {@link #MAX_PIXELS}.
 */
public final class PngWriter {
  private PngWriter() {}

  /** Larger pictures are drawn at a smaller scale: about 400 MB of ARGB pixels at most. */
  static final long MAX_PIXELS = 100_000_000L;

  /** Whether Java2D has a font to draw text with (a machine without any installed font has none). */
  public static boolean fontsAvailable() {
    try {
      return java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0;
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  public static byte[] write(Scene s, double scale) {
    double k = Math.min(scale, Math.sqrt(MAX_PIXELS / Math.max(1, s.width() * s.height())));
    int w = (int) Math.ceil(s.width() * k), h = (int) Math.ceil(s.height() * k);
    BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.scale(k, k);
      draw(g, s);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void draw(Graphics2D g, Scene s) {
    if (!s.caption().isEmpty()) {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.setColor(new Color(0x333333));
      g.drawString(s.caption(), 12f, 16f);
    }
    for (Scene.Frame f : s.frames()) {
      RoundRectangle2D r = new RoundRectangle2D.Double(f.x(), f.y(), f.w(), f.h(), 12, 12);
      g.setColor(new Color(f.level() % 2 == 0 ? 0xf4f6f9 : 0xe9edf3));
      g.fill(r);
      g.setColor(new Color(0xb8c0cc));
      g.setStroke(new BasicStroke(1f));
      g.draw(r);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(new Color(0x555566));
      g.drawString(f.cluster().label(), (float) f.x() + 8, (float) f.y() + 14);
    }
    for (Scene.Wire w : s.wires()) wire(g, w);
    for (Scene.Placed p : s.boxes()) box(g, p);
  }

  private static void wire(Graphics2D g, Scene.Wire w) {
    List<Scene.Point> pts = w.points();
    if (pts.size() < 2) return;
    Path2D.Double path = new Path2D.Double();
    path.moveTo(pts.getFirst().x(), pts.getFirst().y());
    for (int i = 1; i < pts.size(); i++) path.lineTo(pts.get(i).x(), pts.get(i).y());
    g.setColor(new Color(0x666666));
    g.setStroke(new BasicStroke(1f));
    g.draw(path);
    Scene.Point a = pts.get(pts.size() - 2), b = pts.getLast();
    double angle = Math.atan2(b.y() - a.y(), b.x() - a.x());
    Path2D.Double head = new Path2D.Double();
    head.moveTo(b.x(), b.y());
    head.lineTo(b.x() - 7 * Math.cos(angle - 0.4), b.y() - 7 * Math.sin(angle - 0.4));
    head.lineTo(b.x() - 7 * Math.cos(angle + 0.4), b.y() - 7 * Math.sin(angle + 0.4));
    head.closePath();
    g.fill(head);
    if (w.labelW() > 0) {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
      float tw = (float) g.getFontMetrics().getStringBounds(w.link().label(), g).getWidth();
      float x = (float) (w.labelX() + w.labelW() / 2 - tw / 2), y = (float) (w.labelY() + w.labelH() - 3);
      g.setColor(Color.WHITE);
      g.fill(new java.awt.geom.Rectangle2D.Double(x - 1, y - 9, tw + 2, 11));
      g.setColor(new Color(0x444455));
      g.drawString(w.link().label(), x, y);
    }
  }

  private static void box(Graphics2D g, Scene.Placed p) {
    boolean round = p.box().kind() == GraphView.Kind.INPUT || p.box().kind() == GraphView.Kind.OUTPUT;
    double arc = round ? p.h() : 8;
    RoundRectangle2D r = new RoundRectangle2D.Double(p.x(), p.y(), p.w(), p.h(), arc, arc);
    g.setColor(Color.decode(p.fill()));
    g.fill(r);
    g.setColor(new Color(0x7a8594));
    g.draw(r);
    g.setColor(p.dark() ? Color.WHITE : new Color(0x222222));
    double y = p.y() + Text.PAD_Y + Text.LINE - 3;
    List<String> lines = p.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0 && lines.get(i).isEmpty()) continue;
      g.setFont(new Font(Font.SANS_SERIF, i == 0 ? Font.BOLD : Font.PLAIN, i == 0 ? 11 : 10));
      float tw = (float) g.getFontMetrics().getStringBounds(lines.get(i), g).getWidth();
      g.drawString(lines.get(i), (float) (p.x() + p.w() / 2 - tw / 2), (float) y);
      y += Text.LINE;
    }
  }
}
