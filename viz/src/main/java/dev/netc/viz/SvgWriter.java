package dev.netc.viz;

import dev.netc.compiler.analysis.Numbers;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Scene} as standalone SVG 1.1: frames, wires with arrow heads and shape labels, boxes with their lines.
 * Each box is a {@code <g class="box">} with {@code data-path} and a {@code <title>} (the hover text: path, op,
 * shape and exact counts), so a browser shows the numbers on hover and a page can script it.
 */
public final class SvgWriter {
  private SvgWriter() {}

  private static final String FONT = "Helvetica, Arial, 'Liberation Sans', sans-serif";

  public static String write(Scene s) {
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(n(s.width())).append("\" height=\"")
        .append(n(s.height())).append("\" viewBox=\"0 0 ").append(n(s.width())).append(' ').append(n(s.height()))
        .append("\" font-family=\"").append(FONT).append("\">\n");
    b.append("<defs><marker id=\"netc-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
        + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#666\"/></marker>"
        + "</defs>\n");
    b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    if (!s.caption().isEmpty()) {
      b.append("<text x=\"12\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"#333\">")
          .append(esc(s.caption())).append("</text>\n");
    }
    for (Scene.Frame f : s.frames()) frame(b, f);
    for (Scene.Wire w : s.wires()) wire(b, w);
    for (Scene.Placed p : s.boxes()) box(b, p);
    return b.append("</svg>\n").toString();
  }

  private static void frame(StringBuilder b, Scene.Frame f) {
    String fill = f.level() % 2 == 0 ? "#f4f6f9" : "#e9edf3";
    b.append("<g class=\"frame\" data-path=\"").append(esc(f.cluster().path())).append("\"><rect x=\"")
        .append(n(f.x())).append("\" y=\"").append(n(f.y())).append("\" width=\"").append(n(f.w()))
        .append("\" height=\"").append(n(f.h())).append("\" rx=\"6\" fill=\"").append(fill)
        .append("\" stroke=\"#b8c0cc\"/><text x=\"").append(n(f.x() + 8)).append("\" y=\"").append(n(f.y() + 14))
        .append("\" font-size=\"11\" fill=\"#556\">").append(esc(f.cluster().label())).append("</text></g>\n");
  }

  private static void wire(StringBuilder b, Scene.Wire w) {
    b.append("<polyline class=\"wire\" fill=\"none\" stroke=\"#666\" stroke-width=\"1\" marker-end=\"url(#netc-arrow)\""
        + " points=\"");
    List<Scene.Point> pts = w.points();
    for (int i = 0; i < pts.size(); i++) {
      b.append(i == 0 ? "" : " ").append(n(pts.get(i).x())).append(',').append(n(pts.get(i).y()));
    }
    b.append("\"/>\n");
    if (w.labelW() > 0) {
      b.append("<text class=\"shape\" x=\"").append(n(w.labelX() + w.labelW() / 2)).append("\" y=\"")
          .append(n(w.labelY() + w.labelH() - 3)).append("\" font-size=\"9\" text-anchor=\"middle\" fill=\"#445\""
              + " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">").append(esc(w.link().label()))
          .append("</text>\n");
    }
  }

  private static void box(StringBuilder b, Scene.Placed p) {
    GraphView.Box box = p.box();
    boolean round = box.kind() == GraphView.Kind.INPUT || box.kind() == GraphView.Kind.OUTPUT;
    b.append("<g class=\"box\" data-path=\"").append(esc(box.path())).append("\" data-kind=\"")
        .append(box.kind().name().toLowerCase(Locale.ROOT)).append("\"><title>").append(esc(hover(box)))
        .append("</title><rect x=\"").append(n(p.x())).append("\" y=\"").append(n(p.y())).append("\" width=\"")
        .append(n(p.w())).append("\" height=\"").append(n(p.h())).append("\" rx=\"").append(round ? n(p.h() / 2) : "4")
        .append("\" fill=\"").append(p.fill()).append("\" stroke=\"#7a8594\"/>");
    String color = p.dark() ? "#ffffff" : "#222222";
    double y = p.y() + Text.PAD_Y + Text.LINE - 3;
    List<String> lines = p.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (i == 0 && lines.get(i).isEmpty()) continue;
      b.append("<text x=\"").append(n(p.x() + p.w() / 2)).append("\" y=\"").append(n(y))
          .append("\" text-anchor=\"middle\" font-size=\"").append(i == 0 ? "11" : "10").append('"')
          .append(i == 0 ? " font-weight=\"bold\"" : "").append(" fill=\"").append(color).append("\">")
          .append(esc(lines.get(i))).append("</text>");
      y += Text.LINE;
    }
    b.append("</g>\n");
  }

  /** The hover text of a box: its path, op, output shape and exact counts, one per line. */
  public static String hover(GraphView.Box box) {
    StringBuilder b = new StringBuilder(box.path());
    b.append('\n').append(box.op()).append("\noutput ").append(box.shape());
    if (box.kind() == GraphView.Kind.LAYER || box.kind() == GraphView.Kind.GROUP) {
      b.append("\nparams ").append(Numbers.grouped(box.params())).append("\nMACs ").append(Numbers.grouped(box.macs()))
          .append("\nactivations ").append(Numbers.bytes(box.activationBytes()));
    }
    return b.toString();
  }

  static String n(double v) {
    if (v == Math.rint(v)) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** XML text and attribute escaping. */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
