package dev.netc.compiler.emit.java;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Loop nests for the data movements the runtime has no allocation-free kernel for (permute, strided slices,
 * padding, broadcasting, means over any axes): every extent and stride is a compile-time constant except the
 * batch, so the generated loops are plain index arithmetic.
 */
final class Loops {
  private Loops() {}

  /**
   * The loop indices {@code i0, i1, ...} of the deepest nest the tensors of {@code g} can need (a loop per dim and
   * one for the batch) and the mean's accumulator, which no layer-derived name may take.
   */
  static List<String> reserved(Graph g) {
    int depth = 1 + g.nodes().stream().mapToInt(n -> n.type().rank()).max().orElse(0);
    return Stream.concat(IntStream.range(0, depth).mapToObj(l -> "i" + l), Stream.of("sum")).toList();
  }

  /** A tensor operand: its array and first element, and its stride along each loop of the nest. */
  record Operand(CodeBlock array, CodeBlock offset, long[] strides) {}

  /** C-order strides of {@code dims}. */
  static long[] strides(long[] dims) {
    long[] s = new long[dims.length];
    long acc = 1;
    for (int d = dims.length - 1; d >= 0; d--) {
      s[d] = acc;
      acc *= dims[d];
    }
    return s;
  }

  /** The element of {@code op} at the nest's current indices ({@code i0, i1, ...} for the first loops). */
  static CodeBlock index(Operand op, int loops) {
    CodeBlock.Builder b = CodeBlock.builder().add("$L", op.offset());
    for (int l = 0; l < loops; l++) {
      long s = op.strides()[l];
      if (s == 0) continue;
      if (s == 1) b.add(" + i$L", l);
      else b.add(" + i$L * $L", l, Math.toIntExact(s));
    }
    return b.build();
  }

  /**
   * {@code for (i0 < extents[0]) for (i1 < extents[1]) ... body}, where {@code body} gets each operand's element
   * index at the innermost level.
   */
  static CodeBlock nest(List<CodeBlock> extents, List<Operand> ops, Function<List<CodeBlock>, CodeBlock> body) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (int l = 0; l < extents.size(); l++) b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", l, l, extents.get(l), l);
    List<CodeBlock> idx = new ArrayList<>();
    for (Operand op : ops) idx.add(index(op, extents.size()));
    b.add(body.apply(idx));
    for (int l = 0; l < extents.size(); l++) b.endControlFlow();
    return b.build();
  }

  /**
   * Copies a box: {@code dst[...] = src[...]} over the loops, the innermost run with {@link System#arraycopy}
   * when both operands are contiguous along it.
   */
  static CodeBlock copy(List<CodeBlock> extents, Operand src, Operand dst) {
    int last = extents.size() - 1;
    if (last >= 0 && src.strides()[last] == 1 && dst.strides()[last] == 1) {
      List<CodeBlock> outer = extents.subList(0, last);
      return nest(outer, List.of(src, dst), idx -> CodeBlock.builder()
          .addStatement("System.arraycopy($L, $L, $L, $L, $L)", src.array(), idx.get(0), dst.array(), idx.get(1),
              extents.get(last))
          .build());
    }
    return nest(extents, List.of(src, dst), idx -> CodeBlock.builder()
        .addStatement("$L[$L] = $L[$L]", dst.array(), idx.get(1), src.array(), idx.get(0)).build());
  }

  /** {@code y[...] = a[...] op b[...]} over the loops ({@code op} is {@code +} or {@code *}). */
  static CodeBlock binary(List<CodeBlock> extents, Operand a, Operand b, Operand y, String op) {
    return nest(extents, List.of(a, b, y), idx -> CodeBlock.builder()
        .addStatement("$L[$L] = $L[$L] $L $L[$L]", y.array(), idx.get(2), a.array(), idx.get(0), op, b.array(),
            idx.get(1))
        .build());
  }

  /**
   * The mean over the {@code reduced} loops (the last ones) of each element of the {@code kept} loops, summed in
   * double in input order as PyTorch's CPU reduction does for float32.
   */
  static CodeBlock mean(List<CodeBlock> kept, List<CodeBlock> reduced, Operand x, Operand y, long count) {
    int k = kept.size();
    CodeBlock.Builder b = CodeBlock.builder();
    for (int l = 0; l < k; l++) b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", l, l, kept.get(l), l);
    b.addStatement("double sum = 0");
    for (int l = 0; l < reduced.size(); l++) {
      int v = k + l;
      b.beginControlFlow("for (int i$L = 0; i$L < $L; i$L++)", v, v, reduced.get(l), v);
    }
    b.addStatement("sum += $L[$L]", x.array(), index(x, k + reduced.size()));
    for (int l = 0; l < reduced.size(); l++) b.endControlFlow();
    b.addStatement("$L[$L] = (float) (sum / $L)", y.array(), index(y, k), count);
    for (int l = 0; l < k; l++) b.endControlFlow();
    return b.build();
  }
}
