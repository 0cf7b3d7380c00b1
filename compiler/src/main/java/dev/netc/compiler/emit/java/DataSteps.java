package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.CHANNEL_SHUFFLE;
import static dev.netc.compiler.emit.java.RuntimeTypes.SLICES;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.ChannelShuffle;
import dev.netc.compiler.ir.Concat;
import dev.netc.compiler.ir.Crop;
import dev.netc.compiler.ir.Mean;
import dev.netc.compiler.ir.Pad;
import dev.netc.compiler.ir.Permute;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.Slice;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Steps that move data without arithmetic (and the mean): concat and contiguous slices by the runtime's copies,
 * channel shuffle by its kernel, and permute, strided slices, padding, cropping and means over any axes as
 * generated loops with constant strides (the runtime's general forms allocate index tables per call).
 */
final class DataSteps {
  private DataSteps() {}

  static CodeBlock concat(StepContext s, Concat op) {
    s.requireNchw();
    TensorType out = s.outType();
    int a = Rules.shapeAxis("concat", out, op.axis());
    long outer = product(out, 0, a);
    long inner = product(out, a + 1, out.rank());
    CodeBlock.Builder b = CodeBlock.builder();
    int at = 0;
    for (int i = 0; i < s.ins().size(); i++) {
      int n = s.inType(i).dim(a);
      b.addStatement("$T.copy($L, $L, 0, $L, $L, $L, $L, $L, $L)", SLICES, s.at(i), n, s.outAt(), out.dim(a), at, n,
          Memory.scaled(outer, out.batched()), inner);
      at += n;
    }
    return b.build();
  }

  static CodeBlock slice(StepContext s, Slice op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int a = Rules.shapeAxis("slice", x, op.axis());
    if (op.step() == 1) {
      int n = y.dim(a);
      return CodeBlock.builder().addStatement("$T.copy($L, $L, $L, $L, $L, 0, $L, $L, $L)", SLICES, s.at(0), x.dim(a),
          op.start(), s.outAt(), n, n, Memory.scaled(product(x, 0, a), x.batched()), product(x, a + 1, x.rank()))
          .build();
    }
    long[] start = new long[x.rank()];
    long[] step = new long[x.rank()];
    Arrays.fill(step, 1);
    start[a] = op.start();
    step[a] = op.step();
    return box(s, s.in(0), start, step, s.out(), new long[x.rank()], StepContext.dims(y));
  }

  static CodeBlock channelShuffle(StepContext s, ChannelShuffle op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    return CodeBlock.builder().addStatement("$T.shuffle($L, $L, $L, $L, $L, $L)",
        CHANNEL_SHUFFLE, s.at(0), s.outAt(), Memory.items(x), x.dim(0),
        op.groups(), StepContext.spatial(x)).build();
  }

  static CodeBlock permute(StepContext s, Permute op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int off = x.batched() ? 1 : 0;
    long[] xs = Loops.strides(StepContext.dims(x));
    long[] perm = new long[y.rank()];
    for (int i = 0; i < y.rank(); i++) perm[i] = xs[op.perm().get(i + off) - off];
    Loops.Operand src = operand(s, s.in(0), perm, 0);
    Loops.Operand dst = operand(s, s.out(), Loops.strides(StepContext.dims(y)), 0);
    return Loops.copy(PointwiseSteps.extents(y), src, dst);
  }

  static CodeBlock pad(StepContext s, Pad op) {
    s.requireNchw();
    boolean grows = op.begin().stream().anyMatch(v -> v > 0) || op.end().stream().anyMatch(v -> v > 0);
    CodeBlock.Builder b = CodeBlock.builder();
    if (grows) {
      b.addStatement("$T.fill($L, $L, $L + $L, $Lf)", Arrays.class, s.mem().array(s.out()), s.mem().offset(s.out()),
          s.mem().offset(s.out()), Memory.length(s.out()), (float) op.value());
    }
    return b.add(window(s, op.begin())).build();
  }

  static CodeBlock crop(StepContext s, Crop op) {
    s.requireNchw();
    List<Integer> begin = new ArrayList<>();
    for (int o : op.offset()) begin.add(-o);
    return window(s, begin);
  }

  /**
   * Copies the part of the input that lands inside the output when the trailing {@code begin.size()} dims are
   * shifted by {@code begin} (positive pads, negative crops).
   */
  private static CodeBlock window(StepContext s, List<Integer> begin) {
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int r = x.rank();
    long[] from = new long[r];
    long[] to = new long[r];
    long[] count = new long[r];
    for (int d = 0; d < r; d++) {
      int i = d - (r - begin.size());
      int shift = i < 0 ? 0 : begin.get(i);
      from[d] = Math.max(0, -shift);
      to[d] = Math.max(0, shift);
      count[d] = Math.min(x.dim(d) - from[d], y.dim(d) - to[d]);
      if (count[d] <= 0) return CodeBlock.of("// the window keeps nothing of the input\n");
    }
    long[] unit = new long[r];
    Arrays.fill(unit, 1);
    return box(s, s.in(0), from, unit, s.out(), to, count);
  }

  /** Copies {@code count} elements per dim from {@code src} (at {@code from}, every {@code step}) to {@code dst} at {@code to}. */
  private static CodeBlock box(StepContext s, Buffer src, long[] from, long[] step, Buffer dst, long[] to, long[] count) {
    long[] xs = Loops.strides(StepContext.dims(src.type()));
    long[] ys = Loops.strides(StepContext.dims(dst.type()));
    long xo = 0;
    long yo = 0;
    long[] xStep = new long[xs.length];
    for (int d = 0; d < xs.length; d++) {
      xo += from[d] * xs[d];
      yo += to[d] * ys[d];
      xStep[d] = xs[d] * step[d];
    }
    List<CodeBlock> ext = new ArrayList<>();
    if (src.batched()) ext.add(CodeBlock.of("$N", Memory.BATCH));
    for (long c : count) ext.add(CodeBlock.of("$L", c));
    return Loops.copy(ext, operand(s, src, xStep, xo), operand(s, dst, ys, yo));
  }

  static CodeBlock mean(StepContext s, Mean op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    boolean[] reduced = new boolean[x.rank()];
    for (int a : op.axes()) reduced[Rules.shapeAxis("mean", x, a)] = true;
    long[] xs = Loops.strides(StepContext.dims(x));
    List<CodeBlock> kept = new ArrayList<>();
    List<CodeBlock> red = new ArrayList<>();
    List<Long> keptStrides = new ArrayList<>();
    List<Long> redStrides = new ArrayList<>();
    List<Long> keptDims = new ArrayList<>();
    long count = 1;
    long outItem = 1;
    for (int d = 0; d < x.rank(); d++) {
      if (reduced[d]) {
        red.add(CodeBlock.of("$L", x.dim(d)));
        redStrides.add(xs[d]);
        count *= x.dim(d);
      } else {
        kept.add(CodeBlock.of("$L", x.dim(d)));
        keptStrides.add(xs[d]);
        keptDims.add((long) x.dim(d));
        outItem *= x.dim(d);
      }
    }
    long[] ys = Loops.strides(toArray(keptDims));
    List<Long> xAll = new ArrayList<>();
    List<Long> yAll = new ArrayList<>();
    if (x.batched()) {
      kept.addFirst(CodeBlock.of("$N", Memory.BATCH));
      xAll.add(x.elements());
      yAll.add(outItem);
    }
    xAll.addAll(keptStrides);
    for (long v : ys) yAll.add(v);
    xAll.addAll(redStrides);
    Loops.Operand xo = new Loops.Operand(s.mem().array(s.in(0)), s.mem().offset(s.in(0)), toArray(xAll));
    Loops.Operand yo = new Loops.Operand(s.mem().array(s.out()), s.mem().offset(s.out()), toArray(yAll));
    return Loops.mean(kept, red, xo, yo, count);
  }

  /** A view (reshape, flatten, dropout): free when it shares its input's floats, as the planner arranges. */
  static CodeBlock view(StepContext s) {
    if (s.mem().sameStart(s.in(0), s.out())) return CodeBlock.of("// a view of its input: no data moves\n");
    return CodeBlock.builder().addStatement("System.arraycopy($L, $L, $L)", s.at(0), s.outAt(),
        Memory.length(s.out())).build();
  }

  /** An operand with a batch loop in front when the buffer is batched. */
  private static Loops.Operand operand(StepContext s, Buffer b, long[] dimStrides, long extra) {
    long[] st = dimStrides;
    if (b.batched()) {
      st = new long[dimStrides.length + 1];
      st[0] = b.type().elements();
      System.arraycopy(dimStrides, 0, st, 1, dimStrides.length);
    }
    CodeBlock off = extra == 0 ? s.mem().offset(b) : CodeBlock.of("$L + $L", s.mem().offset(b), Math.toIntExact(extra));
    return new Loops.Operand(s.mem().array(b), off, st);
  }

  private static long product(TensorType t, int from, int to) {
    long p = 1;
    for (int d = from; d < to; d++) p *= t.dim(d);
    return p;
  }

  private static long[] toArray(List<Long> xs) { return xs.stream().mapToLong(Long::longValue).toArray(); }
}
