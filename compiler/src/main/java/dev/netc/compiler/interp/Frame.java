package dev.netc.compiler.interp;

import dev.netc.compiler.ir.TensorType;

/** What an op needs besides its inputs: the output type, the batch size, its parameters, the MAC counter. */
record Frame(TensorType out, int batch, LayerParams params, MacCount macs) {
  /** A zero-filled output value. */
  TensorValue alloc() { return TensorValue.alloc(out, batch); }

  /** The full PyTorch dims of the output. */
  int[] outDims() { return TensorValue.fullDims(out, batch); }

  /**
   * Checks the output shape a kernel's own size rule gives (full dims) against the inferred type, so that a shape
   * rule of the IR and the kernel that must honour it cannot drift apart unnoticed.
   */
  void expect(String rule, int[] kernelDims) {
    if (!java.util.Arrays.equals(kernelDims, outDims())) {
      throw new IllegalStateException(rule + " gives " + java.util.Arrays.toString(kernelDims)
          + " but shape inference gave " + out + " (batch " + batch + ")");
    }
  }

  /** The same frame for another layer's parameters or output type (the parts of a fused node). */
  Frame with(TensorType type, LayerParams p) { return new Frame(type, batch, p, macs); }
}
