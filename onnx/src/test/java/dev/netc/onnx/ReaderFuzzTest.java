package dev.netc.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The reader and importer on damaged files: real PyTorch exports with bytes overwritten, inserted or deleted,
 * or cut short. Every outcome is a successful import or an {@link OnnxException} with a message; nothing else
 * (no protobuf exception, no index or arithmetic error, no compiler diagnostic about the written source) may
 * escape.
 */
class ReaderFuzzTest {
  private static final List<String> FILES = List.of("seg_mini.bn.onnx", "resnet_mini.folded.onnx");

  /** One edit of a file: overwrite, insert or delete a byte at a position given as a fraction of the length. */
  record Edit(int kind, double at, byte value) {}

  record Damage(int file, List<Edit> edits, double keep) {}

  @Provide
  Arbitrary<Damage> damage() {
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 2),
        Arbitraries.doubles().between(0, 1), Arbitraries.bytes()).as(Edit::new);
    Arbitrary<Double> keep = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(1.0)), net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(0, 1)));
    return Combinators.combine(Arbitraries.integers().between(0, FILES.size() - 1), edit.list().ofMinSize(0).ofMaxSize(12),
        keep).as(Damage::new);
  }

  @Property(tries = 400)
  void damagedFilesImportOrFailWithAMessage(@ForAll("damage") Damage d) {
    byte[] bytes = apply(read(FILES.get(d.file())), d);
    try {
      OnnxImport.importBytes(bytes, "damaged.onnx", "damaged");
      Statistics.collect("imported");
    } catch (OnnxException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an OnnxException without a message");
      Statistics.collect(e.getMessage().contains("not an ONNX model") ? "not protobuf" : "rejected after parsing");
    }
  }

  /** One overwritten byte: most such files still parse, so this reaches the importer's checks behind the parser. */
  @Property(tries = 400)
  void oneChangedByteImportsOrFailsWithAMessage(@ForAll("oneByte") Damage d) {
    damagedFilesImportOrFailWithAMessage(d);
  }

  @Provide
  Arbitrary<Damage> oneByte() {
    Arbitrary<Edit> edit = Combinators.combine(Arbitraries.just(0), Arbitraries.doubles().between(0, 1),
        Arbitraries.bytes()).as(Edit::new);
    return Combinators.combine(Arbitraries.integers().between(0, FILES.size() - 1), edit.list().ofSize(1))
        .as((f, e) -> new Damage(f, e, 1.0));
  }

  /**
   * Changes that keep the file well-formed protobuf but make it wrong as a model: an attribute or an
   * initializer's dims set to any integer, a node's op type or input swapped for another one's, the opset or an
   * input dimension changed.
   */
  @Property(tries = 400)
  void wrongModelsImportOrFailWithAMessage(@ForAll("mutation") Mutation m) {
    byte[] bytes = m.apply(ModelMutations.load(FILES.get(m.file()))).toByteArray();
    try {
      OnnxImport.importBytes(bytes, "mutated.onnx", "mutated");
      Statistics.collect("imported");
    } catch (OnnxException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an OnnxException without a message");
      Statistics.collect("rejected");
    }
  }

  @Provide
  Arbitrary<Mutation> mutation() {
    Arbitrary<Long> anyInt = Arbitraries.oneOf(Arbitraries.longs().between(-3, 8), Arbitraries.longs(),
        Arbitraries.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 31, 1L << 40));
    return Combinators.combine(Arbitraries.integers().between(0, FILES.size() - 1), Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 1 << 20), anyInt)
        .as(Mutation::new);
  }

  /** What to change ({@code kind}), where ({@code a}, {@code b}: indexes taken modulo the sizes), and to what. */
  record Mutation(int file, int kind, int a, int b, long value) {
    dev.netc.onnx.proto.OnnxProto.ModelProto apply(dev.netc.onnx.proto.OnnxProto.ModelProto m) {
      return ModelMutations.apply(m, kind, a, b, value);
    }
  }

  @Property(tries = 100)
  void arbitraryBytesFailWithAMessage(@ForAll byte[] bytes) {
    try {
      OnnxImport.importBytes(bytes, "random.onnx", "random");
    } catch (OnnxException e) {
      assertFalse(e.getMessage().isBlank());
    }
  }

  private static byte[] apply(byte[] original, Damage d) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    byte[] cur = original;
    for (Edit e : d.edits()) {
      int at = (int) Math.min(cur.length - 1, Math.floor(e.at() * cur.length));
      if (cur.length == 0) break;
      b.reset();
      b.write(cur, 0, at);
      switch (e.kind()) {
        case 0 -> {
          b.write(e.value());
          b.write(cur, at + 1, cur.length - at - 1);
        }
        case 1 -> {
          b.write(e.value());
          b.write(cur, at, cur.length - at);
        }
        default -> b.write(cur, at + 1, cur.length - at - 1);
      }
      cur = b.toByteArray();
    }
    int keep = (int) Math.floor(cur.length * d.keep());
    return java.util.Arrays.copyOf(cur, keep);
  }

  private static byte[] read(String file) {
    try {
      return Files.readAllBytes(Repo.pytorchExports().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
