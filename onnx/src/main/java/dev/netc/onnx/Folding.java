package dev.netc.onnx;

import java.util.Arrays;

/**
 * Constant evaluation for the shape arithmetic exporters leave in ONNX files ({@code Shape → Gather →
 * Unsqueeze → Concat → Reshape}, pads computed with {@code ConstantOfShape} and reversed {@code Slice}s, ...).
 * Every data-movement op is an index map ({@code out[i] = in[map[i]]}) applied to float or integer data alike;
 * element-wise ops broadcast as numpy does. Integer arithmetic on the batch size ({@link Val#BATCH}) gives
 * {@link Val#UNKNOWN}, except where the other operand leaves it unchanged.
 */
final class Folding {
  /**
   * The most elements a folded constant may have: shape arithmetic needs a handful, and a hostile
   * {@code ConstantOfShape} or {@code Expand} must not exhaust memory. Weights are never folded (they keep their
   * size from the file).
   */
  static final int MAX_ELEMENTS = 1 << 24;

  private Folding() {}

  static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc = Math.multiplyExact(acc, shape[i]);
    }
    return s;
  }

  static int count(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
      if (n > MAX_ELEMENTS) throw new ImportIssue("a constant of shape " + Arrays.toString(shape) + " is too large");
    }
    return (int) n;
  }

  static int[] shape(Val v) {
    return switch (v) {
      case Val.Floats f -> f.shape();
      case Val.Ints i -> i.shape();
      case Val.Act a -> throw new IllegalStateException("not a constant");
    };
  }

  /** {@code out[i] = v[map[i]]}, as a constant of the same kind. */
  static Val pick(Val v, int[] map, int[] shape) {
    return switch (v) {
      case Val.Floats f -> {
        float[] o = new float[map.length];
        for (int i = 0; i < map.length; i++) o[i] = f.data()[map[i]];
        yield new Val.Floats(shape, o);
      }
      case Val.Ints n -> {
        long[] o = new long[map.length];
        for (int i = 0; i < map.length; i++) o[i] = n.data()[map[i]];
        yield new Val.Ints(shape, o);
      }
      case Val.Act a -> throw new IllegalStateException("not a constant");
    };
  }

  static Val reshape(Val v, int[] shape) {
    if (count(shape) != count(shape(v))) {
      throw new ImportIssue("cannot reshape a constant of shape " + Arrays.toString(shape(v)) + " to "
          + Arrays.toString(shape));
    }
    return switch (v) {
      case Val.Floats f -> new Val.Floats(shape, f.data());
      case Val.Ints n -> new Val.Ints(shape, n.data());
      case Val.Act a -> throw new IllegalStateException("not a constant");
    };
  }

  static Val transpose(Val v, int[] perm) {
    int[] in = shape(v);
    int[] st = strides(in);
    int[] out = new int[in.length];
    for (int i = 0; i < perm.length; i++) out[i] = in[perm[i]];
    int n = count(out);
    int[] map = new int[n];
    int[] idx = new int[out.length];
    for (int i = 0; i < n; i++) {
      int src = 0;
      for (int d = 0; d < out.length; d++) src += idx[d] * st[perm[d]];
      map[i] = src;
      increment(idx, out);
    }
    return pick(v, map, out);
  }

  /** ONNX Slice on one axis with the index already clamped: {@code start, start+step, ...} while inside. */
  static Val slice(Val v, int axis, long start, long end, long step) {
    int[] in = shape(v);
    int size = 0;
    if (step > 0) for (long k = start; k < end; k += step) size++;
    else for (long k = start; k > end; k += step) size++;
    int[] out = in.clone();
    out[axis] = size;
    int[] st = strides(in);
    int n = count(out);
    int[] map = new int[n];
    int[] idx = new int[out.length];
    for (int i = 0; i < n; i++) {
      int src = 0;
      for (int d = 0; d < out.length; d++) src += (d == axis ? (int) (start + idx[d] * step) : idx[d]) * st[d];
      map[i] = src;
      increment(idx, out);
    }
    return pick(v, map, out);
  }

  static Val concat(java.util.List<Val> parts, int axis) {
    int[] first = shape(parts.getFirst());
    int[] out = first.clone();
    out[axis] = 0;
    boolean floats = false;
    for (Val p : parts) {
      int[] s = shape(p);
      if (s.length != first.length) throw new ImportIssue("concatenated constants differ in rank");
      for (int d = 0; d < s.length; d++) {
        if (d != axis && s[d] != first[d]) throw new ImportIssue("concatenated constants differ in shape");
      }
      out[axis] += s[axis];
      floats |= p instanceof Val.Floats;
    }
    int n = count(out);
    int outer = 1;
    for (int d = 0; d < axis; d++) outer *= out[d];
    int inner = n / Math.max(1, outer);
    long[] li = new long[n];
    float[] lf = new float[n];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (Val p : parts) {
        int block = count(shape(p)) / Math.max(1, outer);
        for (int k = 0; k < block; k++) {
          int src = o * block + k;
          if (p instanceof Val.Floats f) lf[at] = f.data()[src];
          else {
            long x = ((Val.Ints) p).data()[src];
            li[at] = x;
            lf[at] = x;
          }
          at++;
        }
      }
    }
    if (inner < 0) throw new IllegalStateException();
    return floats ? new Val.Floats(out, lf) : new Val.Ints(out, li);
  }

  /** ONNX Gather along {@code axis} with constant indices (negative ones count from the end). */
  static Val gather(Val data, Val.Ints indices, int axis) {
    int[] in = shape(data);
    int[] is = indices.shape();
    int[] out = new int[in.length - 1 + is.length];
    int k = 0;
    for (int d = 0; d < axis; d++) out[k++] = in[d];
    for (int d : is) out[k++] = d;
    for (int d = axis + 1; d < in.length; d++) out[k++] = in[d];
    int[] st = strides(in);
    int outer = 1;
    for (int d = 0; d < axis; d++) outer *= in[d];
    int inner = st[axis];
    int n = count(out);
    int[] map = new int[n];
    int at = 0;
    for (int o = 0; o < outer; o++) {
      for (long raw : indices.data()) {
        long j = raw < 0 ? raw + in[axis] : raw;
        if (j < 0 || j >= in[axis]) throw new ImportIssue("gather index " + raw + " is out of range for size " + in[axis]);
        for (int i = 0; i < inner; i++) map[at++] = o * in[axis] * inner + (int) j * inner + i;
      }
    }
    return pick(data, map, out);
  }

  /** The broadcast of two shapes (numpy rules), or an issue. */
  static int[] broadcast(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int x = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      int y = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      if (x != y && x != 1 && y != 1) {
        throw new ImportIssue("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast");
      }
      out[i] = x == 1 ? y : x;
    }
    return out;
  }

  /** For each element of the broadcast {@code out}, the index into a tensor of shape {@code in}. */
  static int[] broadcastMap(int[] in, int[] out) {
    int n = count(out);
    int[] st = strides(in);
    int off = out.length - in.length;
    int[] map = new int[n];
    int[] idx = new int[out.length];
    for (int i = 0; i < n; i++) {
      int src = 0;
      for (int d = 0; d < in.length; d++) src += (in[d] == 1 ? 0 : idx[d + off]) * st[d];
      map[i] = src;
      increment(idx, out);
    }
    return map;
  }

  /** Element-wise binary op of two constants with broadcasting. */
  static Val binary(String op, Val a, Val b) {
    int[] out = broadcast(shape(a), shape(b));
    int[] ma = broadcastMap(shape(a), out);
    int[] mb = broadcastMap(shape(b), out);
    boolean compare = switch (op) {
      case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual" -> true;
      default -> false;
    };
    if (a instanceof Val.Ints x && b instanceof Val.Ints y) {
      long[] o = new long[ma.length];
      for (int i = 0; i < o.length; i++) o[i] = intOp(op, x.data()[ma[i]], y.data()[mb[i]]);
      return new Val.Ints(out, o);
    }
    float[] fa = floats(a);
    float[] fb = floats(b);
    if (compare) {
      long[] o = new long[ma.length];
      for (int i = 0; i < o.length; i++) o[i] = floatCompare(op, fa[ma[i]], fb[mb[i]]) ? 1 : 0;
      return new Val.Ints(out, o);
    }
    float[] o = new float[ma.length];
    for (int i = 0; i < o.length; i++) o[i] = floatOp(op, fa[ma[i]], fb[mb[i]]);
    return new Val.Floats(out, o);
  }

  static float[] floats(Val v) {
    return switch (v) {
      case Val.Floats f -> f.data();
      case Val.Ints n -> {
        float[] o = new float[n.data().length];
        for (int i = 0; i < o.length; i++) {
          long x = n.data()[i];
          if (x == Val.BATCH || x == Val.UNKNOWN) throw new ImportIssue("a value computed from the batch size is used as a float");
          o[i] = x;
        }
        yield o;
      }
      case Val.Act a -> throw new IllegalStateException("not a constant");
    };
  }

  private static long intOp(String op, long x, long y) {
    boolean xs = x == Val.BATCH || x == Val.UNKNOWN;
    boolean ys = y == Val.BATCH || y == Val.UNKNOWN;
    if (xs || ys) {
      // The batch size passes through an operation with an identity operand; anything else is unknown.
      if (xs && !ys && ((op.equals("Mul") || op.equals("Div")) && y == 1 || (op.equals("Add") || op.equals("Sub")) && y == 0)) return x;
      if (ys && !xs && (op.equals("Mul") && x == 1 || op.equals("Add") && x == 0)) return y;
      return Val.UNKNOWN;
    }
    return switch (op) {
      case "Add" -> x + y;
      case "Sub" -> x - y;
      case "Mul" -> x * y;
      case "Div" -> {
        if (y == 0) throw new ImportIssue("integer division by zero");
        yield x / y;
      }
      case "Mod" -> {
        if (y == 0) throw new ImportIssue("integer division by zero");
        yield x % y;
      }
      case "Equal" -> x == y ? 1 : 0;
      case "Less" -> x < y ? 1 : 0;
      case "Greater" -> x > y ? 1 : 0;
      case "LessOrEqual" -> x <= y ? 1 : 0;
      case "GreaterOrEqual" -> x >= y ? 1 : 0;
      case "Max" -> Math.max(x, y);
      case "Min" -> Math.min(x, y);
      case "And" -> (x != 0 && y != 0) ? 1 : 0;
      case "Or" -> (x != 0 || y != 0) ? 1 : 0;
      default -> throw new ImportIssue(op + " of integer constants is not folded");
    };
  }

  private static float floatOp(String op, float x, float y) {
    return switch (op) {
      case "Add" -> x + y;
      case "Sub" -> x - y;
      case "Mul" -> x * y;
      case "Div" -> x / y;
      case "Pow" -> (float) Math.pow(x, y);
      case "Max" -> Math.max(x, y);
      case "Min" -> Math.min(x, y);
      default -> throw new ImportIssue(op + " of float constants is not folded");
    };
  }

  private static boolean floatCompare(String op, float x, float y) {
    return switch (op) {
      case "Equal" -> x == y;
      case "Less" -> x < y;
      case "Greater" -> x > y;
      case "LessOrEqual" -> x <= y;
      default -> x >= y;
    };
  }

  /** Where(cond, a, b) of constants with broadcasting. */
  static Val where(Val.Ints cond, Val a, Val b) {
    int[] out = broadcast(broadcast(cond.shape(), shape(a)), shape(b));
    int[] mc = broadcastMap(cond.shape(), out);
    int[] ma = broadcastMap(shape(a), out);
    int[] mb = broadcastMap(shape(b), out);
    if (a instanceof Val.Ints x && b instanceof Val.Ints y) {
      long[] o = new long[mc.length];
      for (int i = 0; i < o.length; i++) o[i] = cond.data()[mc[i]] != 0 ? x.data()[ma[i]] : y.data()[mb[i]];
      return new Val.Ints(out, o);
    }
    float[] fa = floats(a);
    float[] fb = floats(b);
    float[] o = new float[mc.length];
    for (int i = 0; i < o.length; i++) o[i] = cond.data()[mc[i]] != 0 ? fa[ma[i]] : fb[mb[i]];
    return new Val.Floats(out, o);
  }

  /** Expand a constant to a shape (numpy broadcasting of the two shapes). */
  static Val expand(Val v, long[] dims) {
    int[] target = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) throw new ImportIssue("Expand to a dimension of " + dims[i]);
      target[i] = (int) dims[i];
    }
    int[] out = broadcast(shape(v), target);
    return pick(v, broadcastMap(shape(v), out), out);
  }

  /** Odometer increment of a multi-index over {@code shape}. */
  static void increment(int[] idx, int[] shape) {
    for (int d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) return;
      idx[d] = 0;
    }
  }
}
