package dev.netc.compiler.emit.java;

import org.junit.jupiter.api.Test;

class EmitSmokeTest {
  @Test
  void convBnReluPoolLinear() {
    String src = """
        network small {
          input image: [3, 16, 16]
          conv1: conv(8, 3, pad: 1, bias: false)
          bn1: batchnorm
          relu
          maxpool(2)
          head logits { global_avgpool; flatten; fc: linear(5) }
        }
        """;
    var g = Generated.graph(src);
    System.out.println(Generated.compile(g).source());
    Generated.checkAgainstInterpreter("small", g, 2, 7);
  }
}
