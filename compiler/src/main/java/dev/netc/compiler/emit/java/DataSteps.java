package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.CHANNEL_SHUFFLE;
import static dev.netc.compiler.emit.java.RuntimeTypes.SLICES;
import static dev.netc.compiler.emit.java.RuntimeTypes.STRIDED_BOX;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Steps that move data without arithmetic (and the mean): concat and contiguous slices by the runtime's copies,
 * channel shuffle by its kernel, and permute, strided slices, padding, cropping and means over any axes by the
 * runtime's {@code StridedBox}, its geometry a constant made when the class loads.
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
    return copy(s, CodeBlock.of("$T.slice($L, $L, $L, $L, $L)", STRIDED_BOX, ints(x), a, op.start(), op.step(),
        y.dim(a)));
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
    int off = x.batched() ? 1 : 0;
    int[] perm = new int[x.rank()];
    for (int i = 0; i < perm.length; i++) perm[i] = op.perm().get(i + off) - off;
    return copy(s, CodeBlock.of("$T.permute($L, $L)", STRIDED_BOX, ints(x), ints(perm)));
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
    int r = x.rank();
    int[] shift = new int[r];
    for (int d = r - begin.size(); d < r; d++) shift[d] = begin.get(d - (r - begin.size()));
    return copy(s, CodeBlock.of("$T.window($L, $L, $L)", STRIDED_BOX, ints(x), ints(s.outType()), ints(shift)));
  }

  static CodeBlock mean(StepContext s, Mean op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    int[] axes = op.axes().stream().mapToInt(a -> Rules.shapeAxis("mean", x, a)).sorted().toArray();
    String box = s.parts().constant(STRIDED_BOX, s.baseName() + "Box",
        CodeBlock.of("$T.mean($L, $L)", STRIDED_BOX, ints(x), ints(axes)));
    return CodeBlock.builder().addStatement("$N.mean($L, $L, $L)", box, Memory.items(x), s.at(0), s.outAt()).build();
  }

  /** A view (reshape, flatten, dropout): free when it shares its input's floats, as the planner arranges. */
  static CodeBlock view(StepContext s) {
    if (s.mem().sameStart(s.in(0), s.out())) return CodeBlock.of("// a view of its input: no data moves\n");
    return CodeBlock.builder().addStatement("$T.arraycopy($L, $L, $L)", System.class, s.at(0), s.outAt(),
        Memory.length(s.out())).build();
  }

  /** The copy of the step's input into its output along a box fixed at load time ({@code boxCall}). */
  private static CodeBlock copy(StepContext s, CodeBlock boxCall) {
    String box = s.parts().constant(STRIDED_BOX, s.baseName() + "Box", boxCall);
    return CodeBlock.builder().addStatement("$N.copy($L, $L, $L)", box, Memory.items(s.inType(0)), s.at(0), s.outAt())
        .build();
  }

  /** {@code new int[] {...}} of a tensor's dims (without the batch). */
  static CodeBlock ints(TensorType t) { return ints(t.shape().toArray()); }

  /** {@code new int[] {...}}. */
  static CodeBlock ints(int... v) {
    CodeBlock.Builder b = CodeBlock.builder().add("new int[] {");
    for (int i = 0; i < v.length; i++) b.add(i == 0 ? "$L" : ", $L", v[i]);
    return b.add("}").build();
  }

  private static long product(TensorType t, int from, int to) {
    long p = 1;
    for (int d = from; d < to; d++) p *= t.dim(d);
    return p;
  }
}
