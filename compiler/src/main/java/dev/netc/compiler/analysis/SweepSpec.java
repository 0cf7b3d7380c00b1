package dev.netc.compiler.analysis;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --sweep NAME=224,320,640}: an input and the spatial sizes to report it at. A size is one number (every
 * spatial dim, square) or one number per spatial dim ({@code 224x320}); channels stay as declared.
 */
public record SweepSpec(String input, List<List<Integer>> sizes) {
  public SweepSpec {
    sizes = sizes.stream().map(List::copyOf).toList();
  }

  /** Parses {@code image=224,320x240}; throws IllegalArgumentException with a message for people. */
  public static SweepSpec parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new IllegalArgumentException("--sweep expects INPUT=SIZE,SIZE,... (e.g. image=224,320,640), got '"
          + text + "'");
    }
    List<List<Integer>> sizes = new ArrayList<>();
    for (String s : text.substring(eq + 1).split(",")) sizes.add(size(s.trim(), text));
    return new SweepSpec(text.substring(0, eq).trim(), sizes);
  }

  private static List<Integer> size(String s, String whole) {
    List<Integer> dims = new ArrayList<>();
    for (String d : s.split("[xX×]", -1)) {
      try {
        int v = Integer.parseInt(d.trim());
        if (v < 1) throw new NumberFormatException();
        dims.add(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--sweep: '" + s + "' in '" + whole + "' is not a size (a positive"
            + " number, or one per spatial dim like 224x320)");
      }
    }
    return dims;
  }

  /** The overriding shape (without batch) of the input for one size, from the declared type in {@code g}. */
  public List<Integer> shapeFor(Graph g, List<Integer> size) {
    TensorType t = declared(g);
    int spatial = t.rank() - 1;
    if (!t.batched() || spatial < 1) {
      throw new ReportError("cannot sweep input '" + input + "' of " + g.name() + ": " + t + " has no spatial dims");
    }
    if (size.size() != 1 && size.size() != spatial) {
      throw new ReportError("--sweep size " + text(size) + " has " + size.size() + " dims, but input '" + input
          + "' of " + g.name() + " " + t + " has " + spatial + " spatial dims");
    }
    List<Integer> shape = new ArrayList<>();
    shape.add(t.dim(0));
    for (int d = 0; d < spatial; d++) shape.add(size.size() == 1 ? size.getFirst() : size.get(d));
    return shape;
  }

  private TensorType declared(Graph g) {
    for (int i : g.inputs()) {
      Node n = g.node(i);
      if (n.path().equals(input)) return n.type();
    }
    List<String> names = g.inputs().stream().map(i -> g.node(i).path()).toList();
    throw new ReportError("network " + g.name() + " has no input '" + input + "'; its inputs: "
        + String.join(", ", names));
  }

  /** {@code 224} or {@code 224x320}. */
  public static String text(List<Integer> size) {
    return String.join("x", size.stream().map(String::valueOf).toList());
  }
}
