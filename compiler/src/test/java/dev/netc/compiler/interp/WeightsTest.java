package dev.netc.compiler.interp;

import static dev.netc.compiler.interp.InterpreterNets.compile;
import static dev.netc.compiler.interp.InterpreterNets.f;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.SafeTensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading weights by name with shape checks, and seeded random weights. */
class WeightsTest {
  private static final Graph NET = compile("network n { input x: [1, 3, 3]; c: conv(2, 2, bias: false); bn: batchnorm }");

  @TempDir Path dir;

  private Path file(SafeTensorsWriter w) throws IOException {
    Path p = dir.resolve("w.safetensors");
    w.write(p);
    return p;
  }

  private static SafeTensorsWriter bn(SafeTensorsWriter w) {
    return w.put("bn.weight", Tensor.of(f(1, 2), 2)).put("bn.bias", Tensor.of(f(0, 1), 2))
        .put("bn.running_mean", Tensor.of(f(0, 0), 2)).put("bn.running_var", Tensor.of(f(1, 1), 2));
  }

  @Test
  void loadsByNameAndDoesNotNeedUnusedTensors() throws IOException {
    Path p = file(bn(new SafeTensorsWriter()).put("c.weight", Tensor.of(new float[8], 2, 1, 2, 2)));
    Weights w = Weights.load(p, NET);
    assertArrayEquals(f(1, 2), w.get("bn.weight").data());
    assertEquals(5, w.tensors().size(), "num_batches_tracked is never read");
  }

  @Test
  void aStrictLoadRefusesTensorsTheNetworkDoesNotHaveAndALenientOneIgnoresThem() throws IOException {
    Path p = file(bn(new SafeTensorsWriter()).put("c.weight", Tensor.of(new float[8], 2, 1, 2, 2))
        .putLongs("bn.num_batches_tracked", Shape.of(), new long[] {1})
        .put("something.else", Tensor.of(f(1), 1)).put("fc.weight", Tensor.of(f(1), 1)));
    var e = assertThrows(InterpreterException.class, () -> Weights.load(p, NET));
    assertEquals("w.safetensors: 2 tensors the network does not use: something.else, fc.weight (strict loading)",
        e.getMessage());
    Weights w = Weights.load(p, NET, LoadOptions.lenient());
    assertEquals(5, w.tensors().size(), "extra tensors are ignored");
  }

  @Test
  void aMissingTensorIsNamedWithTheCloseUnusedNamesTheFileHas() throws IOException {
    // bn.weight is close too, but the network reads it: only a tensor nothing reads can be the one meant.
    Path p = file(bn(new SafeTensorsWriter()).put("c.weigth", Tensor.of(new float[8], 2, 1, 2, 2)));
    var e = assertThrows(InterpreterException.class, () -> Weights.load(p, NET));
    assertEquals("w.safetensors: no tensor named \"c.weight\"; unused names close to it: c.weigth", e.getMessage());
  }

  @Test
  void aMissingTensorWithNothingCloseAmongTheUnusedSaysSo() throws IOException {
    Path p = file(bn(new SafeTensorsWriter()).put("zzz", Tensor.of(new float[8], 2, 1, 2, 2)));
    var e = assertThrows(InterpreterException.class, () -> Weights.load(p, NET));
    assertEquals("w.safetensors: no tensor named \"c.weight\" (none of the file's 1 unused tensors is close)",
        e.getMessage());
  }

  @Test
  void aWrongShapeNamesTheTensorAndBothShapes() throws IOException {
    Path p = file(bn(new SafeTensorsWriter()).put("c.weight", Tensor.of(new float[18], 2, 1, 3, 3)));
    var e = assertThrows(InterpreterException.class, () -> Weights.load(p, NET));
    assertEquals("w.safetensors: c.weight: expected [2, 1, 2, 2], file has [2, 1, 3, 3]", e.getMessage());
  }

  @Test
  void aMissingOrMalformedFileIsAUserError() throws IOException {
    var missing = assertThrows(InterpreterException.class, () -> Weights.load(dir.resolve("none.safetensors"), NET));
    assertTrue(missing.getMessage().startsWith("weights file not found: "), missing.getMessage());
    Path junk = dir.resolve("junk.safetensors");
    Files.write(junk, new byte[] {1, 2, 3});
    var bad = assertThrows(InterpreterException.class, () -> Weights.load(junk, NET));
    assertTrue(bad.getMessage().startsWith("junk.safetensors: truncated file"), bad.getMessage());
  }

  @Test
  void weightsFromAMapAreCheckedToo() {
    Map<String, Tensor> m = new HashMap<>(Weights.random(NET, 0).tensors());
    m.put("c.weight", Tensor.of(new float[18], 2, 1, 3, 3));
    var e = assertThrows(InterpreterException.class, () -> Weights.of(NET, m));
    assertEquals("c.weight: expected [2, 1, 2, 2], got [2, 1, 3, 3]", e.getMessage());
    var missing = assertThrows(InterpreterException.class, () -> InterpreterNets.weights(NET, "c.weight", new float[8]));
    assertTrue(missing.getMessage().contains("bn.weight"), missing.getMessage());
  }

  @Test
  void randomWeightsAreDeterministicShapedAndHavePositiveVariances() {
    Weights a = Weights.random(NET, 7);
    Weights b = Weights.random(NET, 7);
    Weights c = Weights.random(NET, 8);
    assertEquals(a.tensors().keySet(), b.tensors().keySet());
    for (String name : a.tensors().keySet()) assertEquals(a.get(name), b.get(name), name);
    assertFalse(Arrays.equals(a.get("c.weight").data(), c.get("c.weight").data()));
    assertArrayEquals(new int[] {2, 1, 2, 2}, a.get("c.weight").shape().dims());
    for (float v : a.get("bn.running_var").data()) assertTrue(v > 0);
    // a layer added elsewhere does not change this one's values
    Graph bigger = compile("network n { input x: [1, 3, 3]; c: conv(2, 2, bias: false); bn: batchnorm; relu; fc: [flatten, linear(3)] }");
    assertEquals(a.get("c.weight"), Weights.random(bigger, 7).get("c.weight"));
  }
}
