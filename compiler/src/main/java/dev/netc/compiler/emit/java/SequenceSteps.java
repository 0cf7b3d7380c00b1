package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.Helpers.FLOATS;
import static dev.netc.compiler.emit.java.RuntimeTypes.MULTI_HEAD_ATTENTION;
import static dev.netc.compiler.emit.java.RuntimeTypes.POSITIONAL_ENCODING;
import static dev.netc.compiler.emit.java.RuntimeTypes.RECURRENT;
import static dev.netc.compiler.emit.java.RuntimeTypes.SHIFTED_WINDOW_ATTENTION;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.ir.Attention;
import dev.netc.compiler.ir.PositionalEncoding;
import dev.netc.compiler.ir.Recurrent;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.ir.WindowAttention;
import dev.netc.runtime.kernels.ShiftedWindowAttention;
import java.util.Arrays;

/**
 * Sequence layers over {@code [T, E]} per item: the sinusoidal positional encoding (its table computed at load),
 * multi-head self-attention and LSTM/GRU stacks, whose work space lives in the session.
 */
final class SequenceSteps {
  private SequenceSteps() {}

  static CodeBlock positionalEncoding(StepContext s, PositionalEncoding op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    int t = x.dim(0);
    int e = x.dim(1);
    CodeBlock table = op.base() == 10000 ? CodeBlock.of("$T.sinusoidal($L, $L)", POSITIONAL_ENCODING, t, e)
        : CodeBlock.of("$T.sinusoidal($L, $L, $L)", POSITIONAL_ENCODING, t, e, op.base());
    String field = s.parts().modelField(FLOATS, s.baseName() + "Table", s.step().comment(), table);
    return CodeBlock.builder().addStatement("$T.add($L, $N, $L, $L, $L, $L)", POSITIONAL_ENCODING, s.at(0), field, s.outAt(),
        Memory.items(x), t, e).build();
  }

  static CodeBlock attention(StepContext s, Attention op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    int t = x.dim(0);
    int e = x.dim(1);
    CodeBlock init = CodeBlock.of("new $T.Weights($L, $L,\n$>$>$L, $L,\n$L, $L)$<$<", MULTI_HEAD_ATTENTION, e, op.heads(),
        StepContext.tensor(s.param(0, "in_proj_weight")), StepContext.tensor(s.param(0, "in_proj_bias")),
        StepContext.tensor(s.param(0, "out_proj.weight")), StepContext.tensor(s.param(0, "out_proj.bias")));
    String field = s.parts().modelField(MULTI_HEAD_ATTENTION.nestedClass("Weights"), s.baseName(), s.step().comment(), init);
    s.parts().needScratch(0, (long) t * e * 3 + (long) t * t + (long) t * e);
    return CodeBlock.builder().addStatement("$T.selfAttention($N, $L, $L, $L, false, $L, $N)", MULTI_HEAD_ATTENTION, field, s.at(0),
        Memory.items(x), t, s.outAt(), Memory.SCRATCH).build();
  }

  /**
   * Swin's shifted window attention on channels-last {@code [H, W, C]} maps: the weights (with the relative position
   * bias gathered once) in a model field, one window's work space in the scratch array.
   */
  static CodeBlock windowAttention(StepContext s, WindowAttention op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    int c = x.dim(2);
    CodeBlock init = CodeBlock.of("new $T.Weights($L, $L, $L, $L,\n$>$>$L, $L,\n$L, $L,\n$L)$<$<",
        SHIFTED_WINDOW_ATTENTION, c, op.heads(), op.windowH(), op.windowW(),
        StepContext.tensor(s.param(0, "qkv.weight")), StepContext.tensor(s.param(0, "qkv.bias")),
        StepContext.tensor(s.param(0, "proj.weight")), StepContext.tensor(s.param(0, "proj.bias")),
        StepContext.tensor(s.param(0, "relative_position_bias_table")));
    String field = s.parts().modelField(SHIFTED_WINDOW_ATTENTION.nestedClass("Weights"), s.baseName(),
        s.step().comment(), init);
    s.parts().needScratch(0, ShiftedWindowAttention.scratchSize(c, op.windowH(), op.windowW(), x.dim(0), x.dim(1)));
    return CodeBlock.builder().addStatement("$T.forward($N, $L, $L, $L, $L, $L, $L, $L, $N, $N)",
        SHIFTED_WINDOW_ATTENTION, field, op.shiftH(), op.shiftW(), s.at(0), Memory.items(x), x.dim(0), x.dim(1),
        s.outAt(), Memory.SCRATCH, Memory.EXECUTOR).build();
  }

  /**
   * A stack of LSTM or GRU layers, all batch items at once per layer: the first reads the input, the last writes
   * the output, the ones between ping-pong through session arrays; state starts at zero for every layer.
   */
  static CodeBlock recurrent(StepContext s, Recurrent op) {
    s.requireNchw();
    TensorType x = s.inType(0);
    int t = x.dim(0);
    int hid = op.hidden();
    int gates = op.kind().gates();
    String base = s.baseName();
    String[] layers = new String[op.layers()];
    for (int l = 0; l < op.layers(); l++) {
      int input = l == 0 ? x.dim(1) : hid;
      CodeBlock init = CodeBlock.of("new $T.Weights($L, $L,\n$>$>$L,\n$L,\n$L, $L)$<$<", RECURRENT, input, hid,
          StepContext.tensor(s.param(0, "weight_ih_l" + l)), StepContext.tensor(s.param(0, "weight_hh_l" + l)),
          StepContext.tensor(s.param(0, "bias_ih_l" + l)), StepContext.tensor(s.param(0, "bias_hh_l" + l)));
      layers[l] = s.parts().modelField(RECURRENT.nestedClass("Weights"), base + "L" + l,
          l == 0 ? s.step().comment() : null, init);
    }
    CodeBlock items = Memory.items(x);
    String h = s.parts().sessionField(FLOATS, base + "Hidden", CodeBlock.of("new float[$L]", Memory.perSession(hid, x.batched())));
    String c = op.kind() == Recurrent.Kind.LSTM
        ? s.parts().sessionField(FLOATS, base + "Cell", CodeBlock.of("new float[$L]", Memory.perSession(hid, x.batched())))
        : null;
    long seq = (long) t * hid;
    String between = op.layers() > 1 ? s.parts().sessionField(FLOATS, base + "Between",
        CodeBlock.of("new float[$L]", Memory.perSession(seq * Math.min(2, op.layers() - 1), x.batched()))) : null;
    s.parts().needScratch((long) (t + 1) * gates * hid, 0);
    CodeBlock.Builder b = CodeBlock.builder();
    for (int l = 0; l < op.layers(); l++) {
      CodeBlock src = l == 0 ? s.at(0) : CodeBlock.of("$N, $L", between, Memory.scaled(seq * ((l - 1) % 2), x.batched()));
      CodeBlock dst = l == op.layers() - 1 ? s.outAt()
          : CodeBlock.of("$N, $L", between, Memory.scaled(seq * (l % 2), x.batched()));
      b.addStatement("$T.fill($N, 0f)", Arrays.class, h);
      if (c != null) {
        b.addStatement("$T.fill($N, 0f)", Arrays.class, c);
        b.addStatement("$T.lstm($N, $L, $L, $L, false, $L, $L, $N, $N, $N)", RECURRENT, layers[l], src, items, t, dst,
            hid, h, c, Memory.SCRATCH);
      } else {
        b.addStatement("$T.gru($N, $L, $L, $L, false, $L, $L, $N, $N)", RECURRENT, layers[l], src, items, t, dst, hid,
            h, Memory.SCRATCH);
      }
    }
    return b.build();
  }
}
