package dev.netc.compiler.emit.java;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.netc.compiler.ir.Graph;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated code against the reference interpreter on random weights (read back through the generated
 * {@code load}) and random inputs, for small networks that together use every op of the IR, the fused epilogues,
 * layout conversions, views and in-place steps; at batch 1 and 3.
 */
class GeneratedVsInterpreterTest {
  static Stream<Arguments> networks() {
    return Stream.of(
      arguments("residual blocks: conv+bn+add+relu fused, projection shortcut, stem, maxpool, global pool, linear", """
          block Basic(planes: int, stride: int = 1) {
            residual {
              conv1: conv(planes, 3, stride: stride, pad: 1, bias: false); bn1: batchnorm; relu
              conv2: conv(planes, 3, pad: 1, bias: false); bn2: batchnorm
            } shortcut when (stride != 1 or in.channels != planes) {
              downsample: [conv(planes, 1, stride: stride, bias: false), batchnorm]
            }
            relu
          }
          network res {
            input image: [3, 20, 20]
            conv1: conv(16, 3, pad: 1, bias: false); bn1: batchnorm; relu
            maxpool(3, stride: 2, pad: 1)
            layer1: Basic(16)
            layer2: Basic(32, stride: 2)
            head logits { global_avgpool; flatten; fc: linear(7) }
          }
          """),
      arguments("inception concat, max pool with ceil, average pool without counted pads, adaptive max pool", """
          network incept {
            input x: [8, 11, 11]
            concat {
              b1: conv(4, 1)
              b2: [conv(6, 1), relu, conv(5, 3, pad: 1)]
              b3: [maxpool(3, stride: 1, pad: 1, ceil: true), conv(3, 1)]
              b4: [avgpool(3, stride: 1, pad: 1, count_pad: false)]
            }
            avgpool(3, stride: 2, ceil: true)
            adaptive_maxpool(2)
          }
          """),
      arguments("pointwise and depthwise convs with relu6, hardswish, squeeze-and-excite gate (channel broadcast), leaky relu", """
          network mobile {
            input x: [8, 12, 12]
            conv(16, 1, bias: false); batchnorm; relu6
            conv(16, 3, pad: 1, groups: 16, bias: false); batchnorm; hardswish
            se: gate { global_avgpool; fc1: conv(4, 1); relu; fc2: conv(16, 1); hardsigmoid }
            conv(8, 1, bias: false); batchnorm
            leaky_relu(0.2)
          }
          """),
      arguments("transposed convs (output padding), nearest and bilinear upsampling, resize to a size, adaptive average pool", """
          network ups {
            input x: [4, 5, 5]
            concat {
              conv_transpose(6, 4, stride: 2, pad: 1)
              conv_transpose(6, 3, stride: 2, pad: 1, output_pad: 1)
              upsample(scale: 2, mode: "nearest")
              upsample(scale: 2, mode: "bilinear", align_corners: false)
              upsample(scale: 2, mode: "bilinear", align_corners: true)
            }
            upsample(size: [7, 9], mode: "bilinear")
            adaptive_avgpool([3, 4])
          }
          """),
      arguments("group, instance, layer norm, LRN, scale, standalone batchnorm, every activation, softplus with its own beta, softmax", """
          network normacts {
            input x: [16, 6, 6]
            concat {
              groupnorm(4)
              instancenorm(affine: true)
              layernorm(dims: 3)
              [scale(10), lrn(5, alpha: 1e-4, beta: 0.75, k: 2.0)]
              [batchnorm, elu(0.5)]
              gelu
              silu
              tanh
              softplus
              softplus(beta: 2.0, threshold: 5.0)
              sigmoid
              [scale(0.5, shift: 1.0), identity]
            }
            softmax
          }
          """),
      arguments("chunk, split, strided slice, channel shuffle, permute, pad, crop, mean, general broadcast add, views, three outputs", """
          network data {
            input x: [12, 6, 8]
            chunk(2, 0) -> a
            @x
            split([4, 8], 1) -> b
            @x
            slice(1, 7, axis: 3, step: 2) -> c
            @a
            channel_shuffle(3)
            permute(0, 1, 3, 2)
            pad([1, 2, 0, 1], value: 0.5)
            crop(size: [5, 5], offset: [1, 2]) -> d
            mean([2, 3], keepdim: true) -> m
            @d
            mean(1, keepdim: true) -> n
            @d
            add(@n)
            mul(@m)
            dropout
            head out0 { flatten }
            @b
            head out1 { reshape(-1, 12) }
            @c
            head out2 { pad([-1, 0, 1, 1]) }
          }
          """),
      arguments("positional encoding, 2-layer LSTM, 3-layer GRU, attention residual, layer norm, transpose, matmul, log-softmax", """
          network seqs {
            input x: [6, 8]
            positional_encoding
            lstm(12, layers: 2)
            gru(8, layers: 3)
            residual { attn: attention(2) }
            norm: layernorm
            positional_encoding(base: 100.0) -> h
            transpose(1, 2) -> ht
            @h
            matmul(@ht)
            log_softmax(axis: 2)
          }
          """),
      arguments("RoI pool and RoI Align over unbatched boxes, two unbatched outputs", """
          network roi {
            input image: [3, 16, 16]
            input boxes: unbatched [3, 5]
            backbone: [conv(8, 3, pad: 1), relu, maxpool(2)] -> f
            roi_pool(@boxes, 4, scale: 0.5)
            flatten
            head out0 { fc: linear(10) }
            @f
            roi_align(@boxes, 2, scale: 0.5, sampling: 2, aligned: true)
            head out1 { flatten }
          }
          """),
      arguments("3-D conv, transposed conv, max and average pool, nearest upsampling, global max pool", """
          network dims {
            input x: [2, 5, 6, 7]
            conv(4, 3, pad: 1); relu
            conv_transpose(3, 2, stride: 2)
            maxpool(2)
            avgpool(2, stride: 1)
            upsample(scale: 2)
            global_maxpool
          }
          """),
      arguments("1-D dilated and grouped conv, causal padding, transposed conv, nearest upsampling, adaptive pool", """
          network one {
            input x: [4, 20]
            conv(6, 3, dilation: 2)
            pad([2, 0])
            conv(6, 2, groups: 2)
            conv_transpose(4, 4, stride: 2)
            upsample(scale: 2)
            maxpool(2)
            adaptive_avgpool(3)
          }
          """),
      arguments("pooling large enough to run in parallel chunks: max, average, global and adaptive", """
          network bigpools {
            input x: [16, 40, 40]
            concat {
              maxpool(3, stride: 1, pad: 1)
              avgpool(3, stride: 1, pad: 1, count_pad: false)
            }
            -> p
            global_avgpool -> g
            @p
            adaptive_maxpool(7)
            head out0 { flatten }
            @g
            head out1 { flatten }
          }
          """),
      arguments("max pooling padded differently at the two ends ('same' with an even window), 2-D and 1-D", """
          network asym {
            input x: [4, 9, 10]
            maxpool(2, stride: 1, pad: "same") -> a
            flatten(2, 3)
            maxpool(4, stride: 1, pad: "same")
            head out0 { flatten }
            @a
            head out1 { maxpool(3, stride: 2, pad: 1, ceil: true) }
          }
          """),
      arguments("3-D average and max pooling padded differently at the two ends", """
          network asymavg {
            input x: [3, 4, 9, 10]
            avgpool(2, stride: 1, pad: "same") -> a
            avgpool((1, 4, 2), stride: 1, pad: "same", count_pad: false) -> b
            head out0 { flatten }
            @a
            head out1 { maxpool((1, 2, 2), stride: 1, pad: "same") }
          }
          """),
      arguments("max pooling with indices and max unpooling: 2-D (parallel chunks, ties after relu), 1-D padded, 3-D, "
          + "dilated, after a blocked conv", """
          network unpool {
            input x: [16, 33, 31]
            relu -> r
            maxpool(2, indices: -> i2)
            max_unpool(@i2, like: @r)
            conv(16, 3, pad: 1) -> c
            maxpool(3, stride: 2, pad: 1, dilation: 2, indices: -> id)
            head out0 { max_unpool(@id, kernel: 5, stride: 2, pad: 1) }
            head out1 { @id }
            @x
            reshape(16, 1023)
            relu -> s
            maxpool(3, stride: 2, pad: 1, indices: -> i1)
            head out2 { max_unpool(@i1, like: @s) }
            @x
            reshape(16, 3, 11, 31)
            maxpool((1, 2, 3), stride: (2, 2, 2), indices: -> i3)
            head out3 { max_unpool(@i3, size: (3, 11, 31)) }
          }
          """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void batchOfOne(String what, String source) {
    Graph g = Generated.graph(source);
    Generated.checkAgainstInterpreter(what, g, 1, 11);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void batchOfThree(String what, String source) {
    Graph g = Generated.graph(source);
    Generated.checkAgainstInterpreter(what, g, 3, 12);
  }
}
