package dev.netc.cli;

import dev.netc.compiler.ir.Embedding;
import dev.netc.compiler.ir.Flatten;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.Reshape;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.TensorType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded inputs for trying ({@code run --random-input}) or timing ({@code bench}) a network without data files,
 * valid for what each input feeds: token ids (integers in {@code [0, table size)}) for an input that reaches an
 * {@code embedding}, boxes inside the image ({@code (batch index, x1, y1, x2, y2)}) for the boxes of
 * {@code roi_align} and {@code roi_pool}, and values in {@code [-1, 1)} for every other input.
 */
final class RandomInputs {
  private RandomInputs() {}

  /** What an input holds, as far as the graph tells. */
  sealed interface Kind {
    /** Token ids in {@code [0, limit)}: the smallest table among the embeddings the input reaches. */
    record TokenIds(int limit) implements Kind {}

    /** RoI boxes over an image of {@code height × width} pixels. */
    record Boxes(int height, int width) implements Kind {}

    /** Any values. */
    record Values() implements Kind {}
  }

  /** The arrays of every input in graph input order, at {@code batch}. */
  static float[][] arrays(Graph g, int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] in = new float[g.inputs().size()][];
    for (int i = 0; i < in.length; i++) in[i] = values(g, i, batch, r);
    return in;
  }

  /** Input {@code i}'s values at {@code batch}. */
  static float[] values(Graph g, int i, int batch, SplittableRandom r) {
    TensorType t = g.node(g.inputs().get(i)).type();
    float[] v = new float[Math.toIntExact(t.elements(batch))];
    switch (kind(g, i)) {
      case Kind.TokenIds ids -> {
        for (int k = 0; k < v.length; k++) v[k] = r.nextInt(ids.limit());
      }
      case Kind.Boxes b when t.rank() == 2 && t.dim(1) == 5 -> boxes(v, t.dim(0), b, batch, r);
      default -> {
        for (int k = 0; k < v.length; k++) v[k] = (float) r.nextDouble(-1, 1);
      }
    }
    return v;
  }

  /** {@code count} boxes of at least one pixel, each inside the image, with a batch index below {@code batch}. */
  private static void boxes(float[] v, int count, Kind.Boxes b, int batch, SplittableRandom r) {
    for (int k = 0; k < count; k++) {
      int x0 = r.nextInt(0, Math.max(1, b.width() / 2));
      int y0 = r.nextInt(0, Math.max(1, b.height() / 2));
      float[] row = {r.nextInt(0, batch), x0, y0, x0 + r.nextInt(1, Math.max(2, b.width() / 2)),
          y0 + r.nextInt(1, Math.max(2, b.height() / 2))};
      System.arraycopy(row, 0, v, k * 5, 5);
    }
  }

  /** What input {@code i} of {@code g} feeds: followed through reshapes, flattens, slices and permutes. */
  static Kind kind(Graph g, int i) {
    List<List<int[]>> users = users(g);
    int limit = Integer.MAX_VALUE;
    boolean boxes = false;
    Deque<Integer> todo = new ArrayDeque<>(List.of(g.inputs().get(i)));
    boolean[] seen = new boolean[g.nodes().size()];
    while (!todo.isEmpty()) {
      int id = todo.pop();
      if (seen[id]) continue;
      seen[id] = true;
      for (int[] use : users.get(id)) {
        Node n = g.node(use[0]);
        switch (n.op()) {
          case Embedding e -> limit = Math.min(limit, e.num());
          case RoiAlign a when use[1] == 1 -> boxes = true;
          case RoiPool p when use[1] == 1 -> boxes = true;
          case Reshape x -> todo.push(n.id());
          case Flatten x -> todo.push(n.id());
          case Slice x -> todo.push(n.id());
          case Permute x -> todo.push(n.id());
          default -> { }
        }
      }
    }
    if (limit != Integer.MAX_VALUE) return new Kind.TokenIds(limit);
    TensorType t = g.node(g.inputs().get(i)).type();
    if (boxes || !t.batched() && t.rank() == 2 && t.dim(1) == 5) return image(g);
    return new Kind.Values();
  }

  /** Boxes over the first batched input with two spatial dims (16 × 16 pixels if there is none). */
  private static Kind.Boxes image(Graph g) {
    for (int id : g.inputs()) {
      TensorType t = g.node(id).type();
      if (t.batched() && t.rank() >= 2) return new Kind.Boxes(t.dim(t.rank() - 2), t.dim(t.rank() - 1));
    }
    return new Kind.Boxes(16, 16);
  }

  /** For each node, its users as (node id, input position). */
  private static List<List<int[]>> users(Graph g) {
    List<List<int[]>> users = new ArrayList<>();
    for (int k = 0; k < g.nodes().size(); k++) users.add(new ArrayList<>());
    for (Node n : g.nodes()) {
      for (int k = 0; k < n.inputs().size(); k++) users.get(n.inputs().get(k)).add(new int[] {n.id(), k});
    }
    return users;
  }

  /** {@code token ids in [0, 30522)}, {@code boxes}, or {@code values in [-1, 1)}: for messages. */
  static String describe(Kind k) {
    return switch (k) {
      case Kind.TokenIds ids -> "token ids in [0, " + ids.limit() + ")";
      case Kind.Boxes b -> "boxes inside " + b.height() + " x " + b.width() + " pixels";
      case Kind.Values v -> "values in [-1, 1)";
    };
  }
}
