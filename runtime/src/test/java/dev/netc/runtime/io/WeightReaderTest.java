package dev.netc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightReaderTest {
  @TempDir
  Path dir;

  private SafeTensors file(String... names) throws IOException {
    SafeTensorsWriter w = new SafeTensorsWriter();
    for (String n : names) {
      if (n.endsWith("num_batches_tracked")) {
        w.putLongs(n, Shape.of(), new long[] {3});
      } else {
        w.put(n, Tensor.of(new float[] {1, 2}, 2));
      }
    }
    Path p = dir.resolve("model.safetensors");
    w.write(p);
    return SafeTensors.open(p);
  }

  @Test
  void aStrictLoadRefusesTensorsTheNetworkDoesNotUseAndListsThem() throws IOException {
    try (SafeTensors st = file("fc.weight", "fc.bias", "bn.num_batches_tracked", "fc2.weight", "head.bias")) {
      WeightReader r = new WeightReader(st, LoadOptions.strict(), Set.of("bn.num_batches_tracked"));
      assertArrayEquals(new float[] {1, 2}, r.floats("fc.weight", 2));
      r.floats("fc.bias", 2);
      assertEquals(List.of("fc2.weight", "head.bias"), r.unused());
      TensorFileException e = assertThrows(TensorFileException.class, r::finish);
      assertEquals("model.safetensors: 2 tensors the network does not use: fc2.weight, head.bias (strict loading; "
          + "LoadOptions.lenient() ignores them)", e.getMessage());
    }
  }

  @Test
  void aMissingTensorIsNamedWithTheCloseNamesNothingElseReads() throws IOException {
    try (SafeTensors st = file("layer1.conv1.weight", "layer1.conv2.weigth", "layer1.conv3.weight")) {
      WeightReader r = new WeightReader(st, LoadOptions.strict(), Set.of(), Set.of("layer1.conv3.weight"));
      r.floats("layer1.conv1.weight", 2);
      TensorFileException e = assertThrows(TensorFileException.class, () -> r.floats("layer1.conv2.weight", 2));
      assertEquals("model.safetensors: no tensor named \"layer1.conv2.weight\"; unused names close to it: "
          + "layer1.conv2.weigth", e.getMessage(), "conv1 was read and conv3 will be: neither is the one meant");
    }
  }

  @Test
  void aLenientLoadIgnoresThem() throws IOException {
    try (SafeTensors st = file("fc.weight", "extra")) {
      WeightReader r = new WeightReader(st, LoadOptions.lenient(), Set.of());
      r.floats("fc.weight", 2);
      r.finish();
      assertEquals(List.of("extra"), r.unused());
    }
  }

  @Test
  void aFileWithExactlyTheNetworksTensorsPasses() throws IOException {
    try (SafeTensors st = file("fc.weight", "bn.num_batches_tracked")) {
      WeightReader r = new WeightReader(st, LoadOptions.strict(), List.of("bn.num_batches_tracked"));
      r.floats("fc.weight", 2);
      r.floats("fc.weight", 2); // a shared tensor is read twice
      r.finish();
    }
  }

  @Test
  void aLongListIsCut() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 25; i++) names.add("t" + i);
    assertEquals("25 tensors the network does not use: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, "
        + "t14, t15, t16, t17, t18, t19, … (5 more)", WeightReader.describe(names));
    assertEquals("1 tensor the network does not use: x", WeightReader.describe(List.of("x")));
  }

  @Test
  void missingAndMisshapenTensorsStayErrorsEitherWay() throws IOException {
    try (SafeTensors st = file("fc.weight")) {
      WeightReader r = new WeightReader(st, LoadOptions.lenient(), Set.of());
      assertThrows(TensorFileException.class, () -> r.floats("fc.weight", 3));
      assertThrows(TensorFileException.class, () -> r.floats("fc.bias", 2));
    }
  }

  /** A derived tensor (Swin's relative_position_index) need not be in the file; when it is, it must be right. */
  @Test
  void aDerivedTensorIsCheckedWhenTheFileHoldsIt() throws IOException {
    long[] index = {3, 2, 1, 0};
    Path p = dir.resolve("swin.safetensors");
    new SafeTensorsWriter().put("fc.weight", Tensor.of(new float[] {1, 2}, 2))
        .putLongs("attn.relative_position_index", Shape.of(4), index)
        .putLongs("wrong.relative_position_index", Shape.of(4), new long[] {3, 2, 7, 0})
        .put("float.relative_position_index", Tensor.of(new float[] {3, 2, 1, 0}, 2, 2)).write(p);
    try (SafeTensors st = SafeTensors.open(p)) {
      WeightReader r = new WeightReader(st, LoadOptions.strict(), Set.of("wrong.relative_position_index"));
      r.floats("fc.weight", 2);
      r.checkDerived("attn.relative_position_index", index);
      r.checkDerived("float.relative_position_index", index);
      r.checkDerived("absent.relative_position_index", index);
      r.finish();
      TensorFileException e = assertThrows(TensorFileException.class,
          () -> r.checkDerived("wrong.relative_position_index", index));
      assertEquals("swin.safetensors: wrong.relative_position_index: the file's element 2 is 7, but the network "
          + "derives 1 (a tensor fixed by the layer's attributes)", e.getMessage());
      e = assertThrows(TensorFileException.class, () -> r.checkDerived("attn.relative_position_index", new long[9]));
      assertEquals("swin.safetensors: attn.relative_position_index: derived tensor of 9 elements, file has [4]",
          e.getMessage());
    }
  }
}
