package dev.netc.compiler.analysis;

/** The counting convention every report states, in one place (spec/counting.md explains it in full). */
public final class Convention {
  private Convention() {}

  public static final String TEXT = "MACs are the multiply-accumulates of conv, transposed conv, linear, matmul,"
      + " attention and recurrent layers (bias additions excluded); FLOPs = 2 x MACs. Other ops (normalization,"
      + " activations, pooling, additions, resizing, softmax) are counted separately, in elements touched, never"
      + " as zero; every op has a cost rule, so no op is left uncounted. Params are learned tensors, each counted"
      + " once; buffers (batch-norm running statistics) are separate. Bytes are float32 (4 per element). Peak"
      + " activation memory is for naive execution: every layer writes its output to its own buffer, freed after"
      + " its last use. Receptive field and stride are in input pixels.";
}
