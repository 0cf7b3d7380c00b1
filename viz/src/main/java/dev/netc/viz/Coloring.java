package dev.netc.viz;

import dev.netc.compiler.ir.Cost;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * How boxes are filled: by the kind of layer ({@code kind}, the default), or on a white-to-red scale by a cost
 * ({@code macs}, {@code params}, {@code memory}: output activation bytes, {@code time}: measured, see {@link Profile}). Cost scales go by the square root of the
 * fraction of the largest value: a linear scale leaves all but the largest layers white, a logarithmic one paints
 * a 1x1 conv as dark as a 3x3 one.
 */
public enum Coloring {
  KIND(null, ""), MACS(GraphView.Box::macs, "MACs"), PARAMS(GraphView.Box::params, "parameters"),
  MEMORY(GraphView.Box::activationBytes, "activation bytes"), TIME(GraphView.Box::timeNs, "measured time");

  private final ToLongFunction<GraphView.Box> measure;
  private final String what;

  Coloring(ToLongFunction<GraphView.Box> measure, String what) {
    this.measure = measure;
    this.what = what;
  }

  /** {@code --color macs}, any case; an unknown name is an {@link IllegalArgumentException} naming the choices. */
  public static Coloring parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not a colouring (kind, macs, params, memory, time)");
    }
  }

  /** What the scale measures, for a legend ({@code MACs}); empty for {@link #KIND}. */
  public String what() { return what; }

  /** The fill of each box, given all boxes of the picture (the scale's top is their largest value). */
  public Palette palette(List<GraphView.Box> boxes) {
    long max = 0;
    if (measure != null) for (GraphView.Box b : boxes) max = Math.max(max, measure.applyAsLong(b));
    return new Palette(this, max);
  }

  /** Fills for one picture. */
  public record Palette(Coloring coloring, long max) {
    /** {@code #rrggbb}. */
    public String fill(GraphView.Box b) {
      if (b.kind() == GraphView.Kind.INPUT || b.kind() == GraphView.Kind.OUTPUT) return "#ffe0b2";
      if (coloring.measure == null) return kind(b.category());
      return scale(coloring.measure.applyAsLong(b), max);
    }

    /** Whether text on this box's fill should be white (dark fills). */
    public boolean dark(GraphView.Box b) {
      String f = fill(b);
      int r = Integer.parseInt(f.substring(1, 3), 16), g = Integer.parseInt(f.substring(3, 5), 16),
          bl = Integer.parseInt(f.substring(5, 7), 16);
      return 0.299 * r + 0.587 * g + 0.114 * bl < 140;
    }
  }

  static String kind(Cost.Category c) {
    return switch (c) {
      case INPUT -> "#ffe0b2";
      case CONV -> "#bbdefb";
      case LINEAR, MATMUL, ATTENTION, RECURRENT -> "#d1c4e9";
      case NORM -> "#c8e6c9";
      case ACTIVATION -> "#fff9c4";
      case POOL -> "#ffcdd2";
      case ADD, MUL, CONCAT -> "#e0e0e0";
      case DATA, OTHER -> "#f5f5f5";
    };
  }

  /** White (0) through yellow and orange to dark red (the maximum), by the square root of v / max. */
  static String scale(long v, long max) {
    double t = max <= 0 || v <= 0 ? 0 : Math.sqrt((double) v / max);
    int[][] stops = {{255, 255, 255}, {255, 237, 160}, {254, 178, 76}, {240, 59, 32}, {128, 0, 38}};
    double x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) x);
    double f = x - i;
    StringBuilder b = new StringBuilder("#");
    for (int c = 0; c < 3; c++) {
      int value = (int) Math.round(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]));
      b.append(String.format(Locale.ROOT, "%02x", value));
    }
    return b.toString();
  }
}
