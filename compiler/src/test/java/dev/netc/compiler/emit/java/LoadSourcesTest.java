package dev.netc.compiler.emit.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SafeTensorsWriter;
import dev.netc.runtime.io.TensorFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated class's {@code load} methods: a file, a stream, a buffer, a path in a zip file system and open
 * safetensors give the same model; strict loading refuses tensors the network does not use and names them, lenient
 * loading ignores them; a stream cut short fails as the file cut there does.
 */
class LoadSourcesTest {
  private static final String NET = """
      network small {
        input image: [3, 8, 8]
        conv1: conv(4, 3, pad: 1)
        bn: batchnorm
        relu
        head logits { global_avgpool; flatten; fc: linear(2) }
      }
      """;

  @TempDir Path dir;

  private final Graph g = Generated.graph(NET);
  private final CompiledNetwork net = Generated.compile(g);
  private final Class<?> cls = net.randomWeights(0).getClass();

  /** The network's random weights plus BatchNorm's counter (in every PyTorch file, never read) and {@code extra}. */
  private Path weights(String... extra) throws IOException {
    SafeTensorsWriter w = new SafeTensorsWriter();
    Weights.random(g, 5).tensors().forEach(w::put);
    w.putLongs("bn.num_batches_tracked", Shape.of(), new long[] {100});
    for (String e : extra) w.put(e, Tensor.zeros(2));
    Path file = dir.resolve("small.safetensors");
    w.write(file);
    return file;
  }

  private Object call(String method, Class<?>[] types, Object... args) throws IOException {
    try {
      Method m = cls.getMethod(method, types);
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw new AssertionError(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private float[][] run(Object model) {
    return Generated.run(net, model, g, 2, 1, Generated.inputs(g, 2, 9));
  }

  @Test
  void everySourceGivesTheModelTheFileGives() throws IOException {
    Path file = weights();
    byte[] bytes = Files.readAllBytes(file);
    float[][] want = run(net.load(file));
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      assertSameOutputs(want, run(call("load", new Class<?>[] {InputStream.class}, in)));
    }
    assertSameOutputs(want, run(call("load", new Class<?>[] {ByteBuffer.class}, ByteBuffer.wrap(bytes))));
    Path zip = dir.resolve("app.jar");
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
      Path inJar = fs.getPath("/models/small.safetensors");
      Files.createDirectories(inJar.getParent());
      Files.copy(file, inJar);
      assertSameOutputs(want, run(net.load(inJar)));
    }
    try (SafeTensors st = SafeTensors.open(file)) {
      Object model = call("load", new Class<?>[] {SafeTensors.class, LoadOptions.class}, st, LoadOptions.strict());
      assertSameOutputs(want, run(model));
    }
  }

  @Test
  void aStrictLoadNamesTheTensorsTheNetworkDoesNotUseAndALenientOneIgnoresThem() throws IOException {
    Path file = weights("fc2.weight", "head.bias");
    TensorFileException e = assertThrows(TensorFileException.class, () -> net.load(file));
    assertEquals("small.safetensors: 2 tensors the network does not use: fc2.weight, head.bias (strict loading; "
        + "LoadOptions.lenient() ignores them)", e.getMessage());
    TensorFileException stream = assertThrows(TensorFileException.class,
        () -> call("load", new Class<?>[] {InputStream.class}, new ByteArrayInputStream(Files.readAllBytes(file))));
    assertEquals("weights stream: 2 tensors the network does not use: fc2.weight, head.bias (strict loading; "
        + "LoadOptions.lenient() ignores them)", stream.getMessage());
    Object lenient = call("load", new Class<?>[] {Path.class, LoadOptions.class}, file, LoadOptions.lenient());
    assertSameOutputs(run(net.load(weights())), run(lenient));
  }

  @Test
  void aStreamCutShortFailsAsTheFileCutThereDoes() throws IOException {
    byte[] bytes = Files.readAllBytes(weights());
    for (int cut : new int[] {0, 7, 40, bytes.length / 2, bytes.length - 1}) {
      byte[] part = Arrays.copyOf(bytes, cut);
      Path file = dir.resolve("cut.safetensors");
      Files.write(file, part);
      IOException fromFile = assertThrows(IOException.class, () -> net.load(file));
      IOException fromStream = assertThrows(IOException.class,
          () -> call("load", new Class<?>[] {InputStream.class}, new ByteArrayInputStream(part)));
      assertEquals(fromFile.getMessage().replace("cut.safetensors: ", "weights stream: "), fromStream.getMessage());
    }
  }

  @Test
  void theTensorsOfALayerTheOptimizerRemovedStillBelongToTheNetwork() throws IOException {
    Graph dead = Generated.graph("""
        network net {
          input x: [4]
          fc: linear(3) -> a
          unused: linear(2)
          @a
          relu
        }
        """);
    CompiledNetwork compiled = Generated.compile(dead);
    SafeTensorsWriter w = new SafeTensorsWriter();
    Weights.random(dead, 1).tensors().forEach(w::put);
    Path file = dir.resolve("dead.safetensors");
    w.write(file);
    compiled.load(file);
    w.put("other.weight", Tensor.zeros(1)).write(file);
    TensorFileException e = assertThrows(TensorFileException.class, () -> compiled.load(file));
    assertEquals("dead.safetensors: 1 tensor the network does not use: other.weight (strict loading; "
        + "LoadOptions.lenient() ignores them)", e.getMessage());
  }

  private static void assertSameOutputs(float[][] want, float[][] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) assertArrayEquals(want[i], got[i]);
  }
}
