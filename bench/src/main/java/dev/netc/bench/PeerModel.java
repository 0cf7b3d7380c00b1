package dev.netc.bench;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.java.CompiledNetwork;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ir.TensorType;
import dev.netc.onnx.OnnxExport;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A stdlib model as both engines of {@link VsOrt} and {@link VsOrtLayers} get it: compiled as {@code netc run}
 * compiles it (or its profiling build), its seeded random weights ({@code Weights.random(g, 0)}) loaded by the
 * generated Java through a safetensors file, and the same tensors exported to ONNX by our exporter.
 *
 * @param network   the compiled network
 * @param net       its Java build (profiled or not)
 * @param model     the generated model with the weights loaded
 * @param onnx      the ONNX model with the same weights (batch dimension symbolic)
 * @param inputName the graph input's name
 * @param input     the input's type (per item)
 */
record PeerModel(Compilation.Network network, CompiledNetwork net, Object model, byte[] onnx, String inputName,
    TensorType input) {

  /** Loads stdlib-models/{@code name}.net; {@code profiled}: the build with a timestamp around each plan step. */
  static PeerModel load(String name, boolean profiled) throws IOException {
    Path file = VsOrt.root().resolve("stdlib-models").resolve(name + ".net");
    Compilation.Network n = Compiler.compile(file).networks().getFirst();
    Graph g = n.graph();
    CompiledNetwork net = profiled ? CompiledNetwork.compileProfiled(n.plan(), n.emitOptions()) : n.compiled();
    Weights w = Weights.random(g, 0);
    Object model;
    Path st = Files.createTempFile("vs-ort-" + name, ".safetensors");
    try {
      SafeTensorsWriter out = new SafeTensorsWriter();
      w.tensors().forEach(out::put);
      out.write(st);
      model = net.load(st);
    } finally {
      Files.deleteIfExists(st);
    }
    byte[] onnx = OnnxExport.toModel(g, w).toByteArray();
    return new PeerModel(n, net, model, onnx, ((Input) g.node(g.inputs().getFirst()).op()).inputName(),
        g.node(g.inputs().getFirst()).type());
  }

  /** The input's shape with {@code batch} items in front. */
  long[] shape(int batch) {
    long[] shape = new long[input.rank() + 1];
    shape[0] = batch;
    for (int i = 0; i < input.rank(); i++) {
      shape[i + 1] = input.dim(i);
    }
    return shape;
  }

  /** {@code batch} items of seeded random input in [-1, 1), each item its own values. */
  float[] randomInput(int batch) {
    float[] in = new float[Math.toIntExact(input.elements(batch))];
    Random rnd = new Random(1);
    for (int k = 0; k < in.length; k++) {
      in[k] = rnd.nextFloat() * 2 - 1;
    }
    return in;
  }

  /** Floats of the first output for {@code batch} items. */
  int outputLength(int batch) {
    Graph g = network.graph();
    return Math.toIntExact(g.node(g.outputs().getFirst().node()).type().elements(batch));
  }
}
