package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.POOLING;
import static dev.netc.compiler.emit.java.RuntimeTypes.POOLING_WINDOW;
import static dev.netc.compiler.emit.java.RuntimeTypes.ROI_ALIGN;
import static dev.netc.compiler.emit.java.RuntimeTypes.ROI_POOL;
import static dev.netc.compiler.emit.java.RuntimeTypes.UPSAMPLE;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.AdaptivePool;
import dev.netc.compiler.ir.MaxUnpool;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.PoolIndices;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.ir.Rules;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.Upsample;
import dev.netc.compiler.plan.Plan;
import java.util.List;

/**
 * Windowed, adaptive and global pooling (a window geometry fixed at compile time, as a constant), resizing, and
 * the RoI ops. Lower-rank windows run as 3-D ones with unit leading axes, as the runtime's pooling expects.
 */
final class PoolSteps {
  private PoolSteps() {}

  /**
   * 2-D max pooling on the channel-blocked layout: the runtime's vector kernel over 16-channel blocks (windows
   * clipped to the input, so the padding before is all it needs), in parallel over blocks.
   */
  private static CodeBlock blockedMax(StepContext s, Pool op) {
    if (op.kind() != Pool.Kind.MAX || op.dims() != 2 || s.out().layout() != Plan.Layout.NCHWC16) {
      throw new IllegalStateException("the plan gives " + s.node().path() + " a blocked layout its pooling lacks");
    }
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    String window = s.parts().constant(POOLING_WINDOW, s.baseName() + "Window", CodeBlock.of(
        "$T.of2d($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, 1, 1)", POOLING_WINDOW, x.dim(1), x.dim(2), y.dim(1), y.dim(2),
        op.kernel().get(0), op.kernel().get(1), op.stride().get(0), op.stride().get(1), op.padBegin().get(0),
        op.padBegin().get(1)));
    int blocks = Math.ceilDiv(x.dim(0), Plan.Layout.BLOCK);
    long inBlock = (long) Plan.Layout.BLOCK * x.dim(1) * x.dim(2);
    long outBlock = (long) Plan.Layout.BLOCK * y.dim(1) * y.dim(2);
    long work = y.elements() * Rules.product(op.kernel());
    return Parallel.planes(s, s.in(0), s.out(), blocks, inBlock, outBlock, work, (xa, xo, ya, yo, planes) ->
        CodeBlock.of("$T.maxPoolBlocked($L, $L, $L, $L, $L, $L, $N)", POOLING, xa, xo, ya, yo, planes,
            Plan.Layout.BLOCK, window));
  }

  static CodeBlock pool(StepContext s, Pool op) {
    if (s.in(0).layout() == Plan.Layout.NCHWC16) return blockedMax(s, op);
    s.requireNchw();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int[] in = axes3(x, 1);
    int[] out = axes3(y, 1);
    int[] k = axes3(op.kernel(), 1);
    int[] st = axes3(op.stride(), 1);
    int[] p = axes3(op.padBegin(), 0);
    long work = y.elements() * Rules.product(op.kernel());
    if (op.undilatedMax2d()) {
      return planes(s, work, (xa, xo, ya, yo, planes) -> CodeBlock.of(
          "$T.maxPool2d($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", POOLING, xa, xo, ya, yo, planes,
          in[1], in[2], out[1], out[2], k[1], k[2], st[1], st[2], p[1], p[2]));
    }
    int[] d = axes3(op.dilation(), 1);
    String window = s.parts().constant(POOLING_WINDOW, s.baseName() + "Window", CodeBlock.of(
        "new $T($L, $L, $L, $L, $L, $L,\n$>$>$L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)$<$<", POOLING_WINDOW,
        in[0], in[1], in[2], out[0], out[1], out[2], k[0], k[1], k[2], st[0], st[1], st[2], p[0], p[1], p[2],
        d[0], d[1], d[2]));
    if (op.kind() == Pool.Kind.MAX) {
      return planes(s, work, (xa, xo, ya, yo, planes) -> CodeBlock.of("$T.maxPool($L, $L, $L, $L, 1, $L, $N)", POOLING,
          xa, xo, ya, yo, planes, window));
    }
    if (op.padBegin().equals(op.padEnd())) {
      return planes(s, work, (xa, xo, ya, yo, planes) -> CodeBlock.of("$T.avgPool($L, $L, $L, $L, 1, $L, $N, $L)",
          POOLING, xa, xo, ya, yo, planes, window, op.countIncludePad()));
    }
    // The window holds the padding before the input; the padding after it sets the divisor at the far end.
    int[] end = axes3(op.padEnd(), 0);
    return planes(s, work, (xa, xo, ya, yo, planes) -> CodeBlock.of(
        "$T.avgPool($L, $L, $L, $L, 1, $L, $N, $L, $L, $L, $L)", POOLING, xa, xo, ya, yo, planes, window, end[0],
        end[1], end[2], op.countIncludePad()));
  }

  /**
   * The indices of a max pooling's maxima, flat per NCHW plane, as floats: the runtime's window kernel (any rank,
   * dilation and padding before the input), in parallel over planes when large.
   */
  static CodeBlock indices(StepContext s, PoolIndices idx) {
    s.requireNchw();
    Pool op = idx.pool();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int[] in = axes3(x, 1);
    int[] out = axes3(y, 1);
    int[] k = axes3(op.kernel(), 1);
    int[] st = axes3(op.stride(), 1);
    int[] p = axes3(op.padBegin(), 0);
    int[] d = axes3(op.dilation(), 1);
    String window = s.parts().constant(POOLING_WINDOW, s.baseName() + "Window", CodeBlock.of(
        "new $T($L, $L, $L, $L, $L, $L,\n$>$>$L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)$<$<", POOLING_WINDOW,
        in[0], in[1], in[2], out[0], out[1], out[2], k[0], k[1], k[2], st[0], st[1], st[2], p[0], p[1], p[2],
        d[0], d[1], d[2]));
    long work = y.elements() * Rules.product(op.kernel());
    return planes(s, work, (xa, xo, ya, yo, planes) -> CodeBlock.of("$T.maxPoolIndices($L, $L, $L, $L, $L, $N)",
        POOLING, xa, xo, ya, yo, planes, window));
  }

  /**
   * Max unpooling: a zero output with each value at its index in its plane (the indices of a max pooling over an
   * input of this output's size, so always in range but for a dilated window with no input), serial.
   */
  static CodeBlock unpool(StepContext s, MaxUnpool op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int inPlane = StepContext.spatial(x);
    int outPlane = StepContext.spatial(y);
    return CodeBlock.builder().addStatement("$T.maxUnpool($L, $L, $L, $L, $L, $L, $S)", POOLING, s.at(0), s.at(1),
        s.outAt(), Memory.scaled(x.dim(0), x.batched()), inPlane, outPlane, s.node().path()).build();
  }

  /** A pooling over NCHW planes, in parallel over planes when large. */
  private static CodeBlock planes(StepContext s, long work, Parallel.KernelCall call) {
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    return Parallel.planes(s, s.in(0), s.out(), x.dim(0), x.elements() / x.dim(0), y.elements() / y.dim(0), work,
        call);
  }

  static CodeBlock adaptive(StepContext s, AdaptivePool op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    boolean max = op.kind() == Pool.Kind.MAX;
    if (op.size().stream().allMatch(v -> v == 1)) {
      int spatial = StepContext.spatial(x);
      return Parallel.planes(s, s.in(0), s.out(), x.dim(0), spatial, 1, x.elements(), (xa, xo, ya, yo, planes) ->
          CodeBlock.of("$T.$L($L, $L, $L, $L, 1, $L, $L)", POOLING, max ? "globalMaxPool" : "globalAvgPool", xa, xo, ya,
              yo, planes, spatial));
    }
    int[] in = axes3(x, 1);
    int[] out = axes3(s.outType(), 1);
    long outPlane = s.outType().elements() / x.dim(0);
    return Parallel.planes(s, s.in(0), s.out(), x.dim(0), x.elements() / x.dim(0), outPlane, x.elements(),
        (xa, xo, ya, yo, planes) -> CodeBlock.of("$T.adaptivePool($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)",
            POOLING, xa, xo, ya, yo, planes, in[0], in[1], in[2], out[0], out[1], out[2], max));
  }

  static CodeBlock upsample(StepContext s, Upsample op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    int spatial = op.size().size();
    if (spatial == 3) return nearest3d(s, op);
    int inH = spatial == 2 ? x.dim(1) : 1;
    int outH = spatial == 2 ? y.dim(1) : 1;
    double scaleH = spatial == 2 ? scale(op, 0) : 0;
    int inW = x.dim(spatial);
    int outW = y.dim(spatial);
    double scaleW = scale(op, spatial - 1);
    if (op.mode() == Upsample.Mode.NEAREST) {
      return CodeBlock.builder().addStatement("$T.nearest($L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", UPSAMPLE, s.at(0),
          s.outAt(), Memory.items(x), x.dim(0), inH, inW, outH, outW, scaleH, scaleW).build();
    }
    return CodeBlock.builder().addStatement("$T.bilinear($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", UPSAMPLE,
        s.at(0), s.outAt(), Memory.items(x), x.dim(0), inH, inW, outH, outW, op.alignCorners(), scaleH, scaleW)
        .build();
  }

  /** 3-D nearest resizing: the runtime's kernel, with the source indices per axis fixed at load time. */
  private static CodeBlock nearest3d(StepContext s, Upsample op) {
    if (op.mode() != Upsample.Mode.NEAREST) {
      throw new IllegalStateException("3-D upsampling is nearest only; the IR should have refused " + op);
    }
    TensorType x = s.inType(0);
    TensorType y = s.outType();
    String[] idx = new String[3];
    for (int a = 0; a < 3; a++) {
      idx[a] = s.parts().constant(ArrayTypeName.of(int.class), s.baseName() + "Source" + "DHW".charAt(a),
          CodeBlock.of("$T.nearestIndex($L, $L, $L)", UPSAMPLE, x.dim(a + 1), y.dim(a + 1), scale(op, a)));
    }
    return CodeBlock.builder().addStatement("$T.nearest3d($L, $L, $L, $L, $L, $L, $N, $N, $N)", UPSAMPLE, s.at(0),
        s.outAt(), Memory.scaled(x.dim(0), x.batched()), x.dim(1), x.dim(2), x.dim(3), idx[0], idx[1], idx[2]).build();
  }

  static CodeBlock roiPool(StepContext s, RoiPool op) {
    s.requireNchw();
    TensorType f = s.inType(0);
    return CodeBlock.builder().addStatement("$T.pool($L, $N, $L, $L, $L, $L, $L, $L, $L, $Lf, $L, $S)",
        ROI_POOL, s.at(0), Memory.BATCH, f.dim(0), f.dim(1), f.dim(2),
        s.at(1), s.inType(1).dim(0), op.output().get(0), op.output().get(1), (float) op.scale(), s.outAt(),
        s.node().path()).build();
  }

  static CodeBlock roiAlign(StepContext s, RoiAlign op) {
    s.requireNchw();
    TensorType f = s.inType(0);
    return CodeBlock.builder().addStatement("$T.align($L, $N, $L, $L, $L, $L, $L, $L, $L, $Lf, $L, $L, $L, $S)",
        ROI_ALIGN, s.at(0), Memory.BATCH, f.dim(0), f.dim(1), f.dim(2),
        s.at(1), s.inType(1).dim(0), op.output().get(0), op.output().get(1), (float) op.scale(), op.sampling(),
        op.aligned(), s.outAt(), s.node().path()).build();
  }

  /** The user's scale factor along spatial dim {@code i}, or 0 when a size was given (see the runtime). */
  private static double scale(Upsample op, int i) {
    if (op.scale() == null || op.scale().isEmpty()) return 0;
    return op.scale().get(Math.min(i, op.scale().size() - 1));
  }

  /** The spatial extents of a [C, ...] type as (d, h, w), missing leading axes {@code unit}. */
  private static int[] axes3(TensorType t, int unit) {
    int n = t.rank() - 1;
    int[] a = {unit, unit, unit};
    for (int i = 0; i < n; i++) a[3 - n + i] = t.dim(1 + i);
    return a;
  }

  private static int[] axes3(List<Integer> v, int unit) {
    int n = v.size();
    int[] a = {unit, unit, unit};
    for (int i = 0; i < n; i++) a[3 - n + i] = v.get(i);
    return a;
  }
}
