package dev.netc.compiler.interp;

import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.ParamSpec;
import dev.netc.runtime.RandomWeights;
import dev.netc.runtime.Shape;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.TensorFileException;
import dev.netc.runtime.io.WeightReader;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter tensors of one graph, by full name ({@code layer1.0.conv1.weight}), each with the shape the
 * graph gives it. Built from a safetensors file ({@link #load}), from seeded random values ({@link #random}), or
 * from a map ({@link #of}); every way checks names and shapes against the graph. Tensors of kind
 * {@link ParamSpec.Kind#UNUSED} ({@code num_batches_tracked}) are never read, nor are those of kind
 * {@link ParamSpec.Kind#DERIVED}, which the ops make themselves (a file that holds one must hold its values).
 * Immutable and shareable.
 */
public final class Weights {
  private final Map<String, Tensor> tensors;

  private Weights(Map<String, Tensor> tensors) { this.tensors = Collections.unmodifiableMap(tensors); }

  /** As {@link #load(Path, Graph, LoadOptions)} with {@link LoadOptions#strict()}, the default. */
  public static Weights load(Path file, Graph graph) { return load(file, graph, LoadOptions.strict()); }

  /**
   * Reads every parameter of {@code graph} from a safetensors file by name, checking each shape. A missing
   * tensor, a wrong shape or a malformed file is an {@link InterpreterException} whose message names the file,
   * the tensor and both shapes (or the close names the file does have). Under strict {@code options}, so is a
   * file with tensors the graph does not have ({@code w.safetensors: 2 tensors the network does not use: fc2.weight,
   * fc2.bias (strict loading)}), as a generated class's {@code load} refuses it; {@code num_batches_tracked} and
   * other tensors the graph declares but never reads are accepted.
   */
  public static Weights load(Path file, Graph graph, LoadOptions options) {
    try (SafeTensors st = SafeTensors.open(file)) {
      Map<String, Param> required = required(graph);
      WeightReader reader = new WeightReader(st, options, unread(graph), required.keySet());
      Map<String, Tensor> m = new LinkedHashMap<>();
      for (Param p : required.values()) {
        int[] shape = p.shape().toArray();
        m.put(p.name(), new Tensor(Shape.of(shape), reader.floats(p.name(), shape)));
      }
      for (Map.Entry<String, long[]> d : graph.derived().entrySet()) reader.checkDerived(d.getKey(), d.getValue());
      List<String> unused = reader.unused();
      if (!unused.isEmpty() && !options.allowUnusedTensors()) {
        throw new InterpreterException(st.source() + ": " + WeightReader.describe(unused) + " (strict loading)");
      }
      return new Weights(m);
    } catch (NoSuchFileException e) {
      throw new InterpreterException("weights file not found: " + file);
    } catch (TensorFileException e) {
      throw new InterpreterException(e.getMessage());
    } catch (IOException e) {
      throw new InterpreterException("cannot read weights " + file + ": " + e.getMessage());
    }
  }

  /** Tensors the graph declares but never reads ({@code num_batches_tracked}): a strict load accepts them. */
  private static List<String> unread(Graph graph) {
    return graph.params().stream().filter(p -> p.kind() == ParamSpec.Kind.UNUSED).map(Param::name).toList();
  }

  /**
   * Deterministic random weights for {@code graph}, the runtime's {@link RandomWeights} that generated models draw
   * too: each tensor from its own generator seeded by {@code seed} and its name (so adding a layer does not change
   * the others).
   */
  public static Weights random(Graph graph, long seed) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Param p : required(graph).values()) m.put(p.name(), randomTensor(p, seed));
    return new Weights(m);
  }

  /** Weights from a map by full name; extra entries are ignored, missing or misshapen ones are errors. */
  public static Weights of(Graph graph, Map<String, Tensor> tensors) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Param p : required(graph).values()) {
      Tensor t = tensors.get(p.name());
      if (t == null) throw new InterpreterException("no tensor named \"" + p.name() + "\" among the weights given");
      checkShape(p, t.shape());
      m.put(p.name(), t);
    }
    return new Weights(m);
  }

  /** The tensor of that full name; an interpreter bug if the graph does not have it. */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) throw new IllegalStateException("no weights loaded for " + name);
    return t;
  }

  /** Every tensor held, by full name, in graph order. */
  public Map<String, Tensor> tensors() { return tensors; }

  /** Checks that these weights cover {@code graph} with the right shapes. */
  void check(Graph graph) {
    for (Param p : required(graph).values()) {
      Tensor t = tensors.get(p.name());
      if (t == null) throw new InterpreterException("the weights have no tensor named \"" + p.name() + "\"");
      checkShape(p, t.shape());
    }
  }

  /** The graph's tensors that must have values, each name once (shared weights appear once). */
  private static Map<String, Param> required(Graph graph) {
    Map<String, Param> m = new LinkedHashMap<>();
    for (Param p : graph.params()) {
      if (!p.spec().isRead()) continue;
      Param seen = m.putIfAbsent(p.name(), p);
      if (seen != null && !seen.shape().equals(p.shape())) {
        throw new InterpreterException("tensor " + p.name() + " is shared with shapes " + seen.shape() + " and "
            + p.shape());
      }
    }
    return m;
  }

  private static void checkShape(Param p, Shape got) {
    if (!got.equals(Shape.of(p.shape().toArray()))) {
      throw new InterpreterException(p.name() + ": expected " + p.shape() + ", got " + got);
    }
  }

  private static Tensor randomTensor(Param p, long seed) {
    int[] dims = p.shape().toArray();
    return new Tensor(Shape.of(dims), RandomWeights.tensor(seed, p.name(), dims));
  }
}
