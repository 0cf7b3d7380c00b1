package dev.netc.bench;

import dev.netc.runtime.kernels.ConvSpec;

/**
 * The benchmarked layers and the work each call does, shared by the benchmarks and by
 * {@link BenchReport} so that rates are computed from one definition. FLOPs = 2 x MACs.
 */
public final class Workloads {
  /** ResNet-style 3x3 convolution, 64 -> 64 channels at 56x56, stride 1, padding 1. */
  public static final ConvSpec CONV3X3 = ConvSpec.conv2d(64, 64, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  /** ResNet-50 bottleneck reduction: 1x1 convolution, 256 -> 64 channels at 56x56. */
  public static final ConvSpec CONV1X1 = ConvSpec.conv2d(256, 64, 56, 56, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
  /** ResNet-50's layer4.0.conv2: 3x3 stride 2 padding 1, 512 -> 512 channels, 14x14 -> 7x7 (4608 reduction steps). */
  public static final ConvSpec CONV3X3_S2 = ConvSpec.conv2d(512, 512, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
  /** ResNet-50's layer4.1.conv1: 1x1 convolution, 2048 -> 512 channels at 7x7. */
  public static final ConvSpec CONV1X1_K2048 = ConvSpec.conv2d(2048, 512, 7, 7, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
  /** The ResNet stem: 7x7 stride 2 padding 3, 3 -> 64 channels, 224x224 input (NCHW). */
  public static final ConvSpec STEM = ConvSpec.conv2d(3, 64, 224, 224, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1);
  /** MobileNetV2-style depthwise 3x3 convolution on 144 channels at 56x56, stride 1, padding 1. */
  public static final ConvSpec DEPTHWISE =
      ConvSpec.conv2d(144, 144, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 144);
  /** Matrix size of the SGEMM benchmark (M = N = K). */
  public static final int GEMM = 1024;
  /** Floats per array of the triad benchmark (3 arrays of 32 MiB: well past the 32 MiB L3). */
  public static final int TRIAD = 1 << 23;

  private Workloads() {}

  /** The convolution benchmarked under {@code name}. */
  public static ConvSpec conv(String name) {
    return switch (name) {
      case "conv3x3" -> CONV3X3;
      case "conv1x1" -> CONV1X1;
      case "conv3x3s2" -> CONV3X3_S2;
      case "conv1x1k2048" -> CONV1X1_K2048;
      case "stem" -> STEM;
      case "depthwise" -> DEPTHWISE;
      default -> throw new IllegalArgumentException("unknown layer " + name);
    };
  }

  /** FLOPs of one convolution call. */
  public static double convFlops(String name) {
    return 2.0 * conv(name).macs();
  }

  /** Bytes a depthwise call must move at least: its input and output activations once. */
  public static double depthwiseBytes() {
    return 4.0 * (DEPTHWISE.inChannels() * DEPTHWISE.inSpatial()
        + DEPTHWISE.outChannels() * DEPTHWISE.outSpatial());
  }

  /** FLOPs of one SGEMM call. */
  public static double gemmFlops() {
    return 2.0 * GEMM * GEMM * GEMM;
  }

  /** Bytes of one triad call, STREAM's convention: two arrays read, one written. */
  public static double triadBytes() {
    return 12.0 * TRIAD;
  }
}
