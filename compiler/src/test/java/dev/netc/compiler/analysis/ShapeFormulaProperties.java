package dev.netc.compiler.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Cost;
import dev.netc.compiler.ir.Pool;
import dev.netc.compiler.ir.ShapeException;
import dev.netc.compiler.ir.TensorType;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The shape rules and costs of conv, pooling and transposed conv agree with their closed forms (PyTorch's
 * documented formulas) and with brute-force window counting, on random arguments.
 */
class ShapeFormulaProperties {
  private static List<Integer> two(int v) { return List.of(v, v); }

  @Property
  void convOutputAndMacsFollowTheFormula(@ForAll @IntRange(min = 1, max = 64) int size,
      @ForAll @IntRange(min = 1, max = 7) int k, @ForAll @IntRange(min = 1, max = 4) int stride,
      @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll @IntRange(min = 1, max = 3) int dilation,
      @ForAll @IntRange(min = 1, max = 4) int groups, @ForAll @IntRange(min = 1, max = 4) int perGroupIn,
      @ForAll @IntRange(min = 1, max = 3) int perGroupOut, @ForAll @IntRange(min = 1, max = 3) int batch) {
    int cin = groups * perGroupIn, cout = groups * perGroupOut;
    long expected = Math.floorDiv(size + 2L * pad - (long) dilation * (k - 1) - 1, stride) + 1;
    Assume.that(expected >= 1);
    Conv conv = new Conv(2, cout, two(k), two(stride), two(pad), two(pad), two(dilation), groups, true);
    TensorType in = TensorType.batched(cin, size, size);
    TensorType out = conv.infer(List.of(in));
    assertEquals(TensorType.batched(cout, (int) expected, (int) expected), out);
    Cost c = conv.cost(List.of(in), out, batch);
    long outElements = (long) batch * cout * expected * expected;
    assertEquals(outElements * (cin / groups) * k * k, c.macs());
    assertEquals(2 * c.macs(), c.flops());
    assertEquals((long) cout * perGroupIn * k * k + cout,
        conv.params(List.of(in)).stream().mapToLong(p -> p.shape().elements()).sum());
  }

  @Property
  void convRejectsWindowsThatDoNotFit(@ForAll @IntRange(min = 1, max = 16) int size,
      @ForAll @IntRange(min = 1, max = 9) int k, @ForAll @IntRange(min = 1, max = 3) int dilation) {
    Assume.that(size < (long) dilation * (k - 1) + 1);
    Conv conv = new Conv(1, 4, List.of(k), List.of(1), List.of(0), List.of(0), List.of(dilation), 1, false);
    try {
      conv.infer(List.of(TensorType.batched(2, size)));
      throw new AssertionError("a window of " + ((k - 1) * dilation + 1) + " fit in " + size);
    } catch (ShapeException expected) {
      assertTrue(expected.getMessage().contains("conv"));
    }
  }

  @Property
  void poolOutputCountsTheWindowsPyTorchKeeps(@ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll @IntRange(min = 1, max = 6) int k, @ForAll @IntRange(min = 1, max = 4) int stride,
      @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll boolean ceil) {
    Assume.that(pad <= k / 2 && size + 2 * pad >= k);
    Pool pool = new Pool(Pool.Kind.MAX, 1, List.of(k), List.of(stride), List.of(pad), List.of(pad), List.of(1),
        ceil, false);
    TensorType out = pool.infer(List.of(TensorType.batched(3, size)));
    // Brute force: window i starts at i·stride - pad. Floor mode keeps windows that end inside the right padding;
    // ceil mode also keeps a last partial window, if it starts inside the input or the left padding.
    int count = 0;
    for (int i = 0; ; i++) {
      long start = (long) i * stride - pad;
      boolean fits = start + k <= size + pad;
      boolean partial = ceil && start < size && start + k > size + pad
          && (long) i * stride < size + 2L * pad - k + stride;
      if (!fits && !partial) break;
      count++;
    }
    assertEquals(count, out.dim(1));
    int floor = (size + 2 * pad - k) / stride + 1;
    assertTrue(out.dim(1) == floor || ceil && out.dim(1) == floor + 1);
    assertEquals((long) 3 * out.dim(1) * k, pool.cost(List.of(TensorType.batched(3, size)), out, 1).otherOps());
  }

  @Property
  void transposedConvFollowsTheFormulaAndInvertsConv(@ForAll @IntRange(min = 1, max = 32) int size,
      @ForAll @IntRange(min = 1, max = 6) int k, @ForAll @IntRange(min = 1, max = 4) int stride,
      @ForAll @IntRange(min = 0, max = 3) int pad, @ForAll @IntRange(min = 1, max = 2) int dilation,
      @ForAll @IntRange(min = 0, max = 3) int outputPad, @ForAll @IntRange(min = 1, max = 2) int groups,
      @ForAll @IntRange(min = 1, max = 3) int perGroupIn, @ForAll @IntRange(min = 1, max = 3) int perGroupOut) {
    Assume.that(outputPad < Math.max(stride, dilation));
    long expected = (long) (size - 1) * stride - 2L * pad + (long) dilation * (k - 1) + outputPad + 1;
    Assume.that(expected >= 1);
    int cin = groups * perGroupIn, cout = groups * perGroupOut;
    ConvTranspose t = new ConvTranspose(1, cout, List.of(k), List.of(stride), List.of(pad), List.of(pad),
        List.of(outputPad), List.of(dilation), groups, false);
    TensorType in = TensorType.batched(cin, size);
    TensorType up = t.infer(List.of(in));
    assertEquals(TensorType.batched(cout, (int) expected), up);
    // The conv with the same arguments maps the output size back (PyTorch's definition of the transpose) ...
    Conv back = new Conv(1, cin, List.of(k), List.of(stride), List.of(pad), List.of(pad), List.of(dilation), groups,
        false);
    Assume.that(outputPad < stride);
    TensorType down = back.infer(List.of(up));
    assertEquals(in, down);
    // ... and does the same multiply-accumulates, in the other direction.
    assertEquals(back.cost(List.of(up), down, 1).macs(), t.cost(List.of(in), up, 1).macs());
    assertEquals((long) cin * perGroupOut * k, t.params(List.of(in)).getFirst().shape().elements());
  }
}
