package dev.netc.compiler.emit.java;

import java.util.List;

/**
 * Well-formed random {@code .net} programs for properties: a list of codes chooses each layer (conv with random
 * size, kernel, stride, groups and bias; batchnorm; activations; max and average pooling; a residual pair of
 * convs; a two-branch concat; a linear head), while the builder tracks channels and the spatial size so every
 * program type-checks. The same codes always give the same text, so jqwik can shrink a failure to a small program.
 */
final class RandomNetworks {
  private RandomNetworks() {}

  static String program(int channels, int size, List<Integer> codes, boolean head) {
    Builder b = new Builder(channels, size);
    for (int code : codes) b.layer(code);
    if (head) b.head(codes.isEmpty() ? 3 : codes.getFirst() % 9 + 2);
    return b.text();
  }

  private static final class Builder {
    private final StringBuilder text = new StringBuilder();
    private final int inputChannels;
    private final int inputSize;
    private int c;
    private int s;
    private int labels;

    Builder(int channels, int size) {
      this.inputChannels = channels;
      this.inputSize = size;
      this.c = channels;
      this.s = size;
    }

    void layer(int code) {
      int pick = code % 11;
      int arg = code / 11;
      switch (pick) {
        case 0, 1 -> conv(arg);
        case 2 -> line("batchnorm");
        case 3 -> line(List.of("relu", "relu6", "sigmoid", "leaky_relu(0.1)", "hardswish", "tanh").get(arg % 6));
        case 4 -> maxpool(arg);
        case 5 -> line("avgpool(3, stride: 1, pad: 1" + (arg % 2 == 0 ? ")" : ", count_pad: false)"));
        case 6 -> residual(arg);
        case 7 -> concat(arg);
        case 8 -> {
          conv(arg);
          line("batchnorm");
          line("relu");
        }
        case 9 -> depthwise(arg);
        default -> line("dropout(0.2)");
      }
    }

    private void conv(int arg) {
      int out = 1 + arg % 19;
      int k = arg / 19 % 2 == 0 ? 1 : 3;
      int stride = s >= 6 && arg / 38 % 3 == 0 ? 2 : 1;
      int pad = k / 2;
      boolean bias = arg / 114 % 2 == 0;
      line(label() + "conv(" + out + ", " + k + (stride != 1 ? ", stride: " + stride : "") + (pad != 0 ? ", pad: " + pad : "")
          + (bias ? "" : ", bias: false") + ")");
      c = out;
      s = (s + 2 * pad - k) / stride + 1;
    }

    private void depthwise(int arg) {
      line(label() + "conv(" + c + ", 3, pad: 1, groups: " + c + (arg % 2 == 0 ? ", bias: false" : "") + ")");
    }

    private void maxpool(int arg) {
      if (s < 4) {
        line("relu");
        return;
      }
      boolean ceil = arg % 2 == 1;
      line("maxpool(2" + (ceil ? ", ceil: true" : "") + ")");
      s = ceil ? (s + 1) / 2 : s / 2;
    }

    private void residual(int arg) {
      line("residual {");
      line("  " + label() + "conv(" + c + ", 3, pad: 1, bias: false); batchnorm; relu");
      line("  " + label() + "conv(" + c + ", " + (arg % 2 == 0 ? 3 : 1) + (arg % 2 == 0 ? ", pad: 1" : "")
          + ", bias: false); batchnorm");
      line("}");
      line("relu");
    }

    private void concat(int arg) {
      // A multiple of 16 lets the planner elide the concat (both convs write their channel slices).
      int a = arg % 3 == 0 ? 16 : 1 + arg % 7;
      int b = 1 + arg / 7 % 9;
      line("concat {");
      line("  " + label() + "conv(" + a + ", 1)");
      line("  [" + label() + "conv(" + b + ", 3, pad: 1), relu]");
      line("}");
      c = a + b;
    }

    void head(int classes) {
      line("head logits { global_avgpool; flatten; fc: linear(" + classes + ") }");
    }

    private String label() { return "l" + labels++ + ": "; }

    private void line(String l) { text.append("  ").append(l).append('\n'); }

    String text() {
      return "network random {\n  input x: [" + inputChannels + ", " + inputSize + ", " + inputSize + "]\n" + text + "}\n";
    }
  }
}
