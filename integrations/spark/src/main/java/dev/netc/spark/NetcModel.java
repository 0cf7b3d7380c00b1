package dev.netc.spark;

import dev.netc.runtime.InputException;
import dev.netc.runtime.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A generated network class as Spark sees it: its inputs and outputs (names and shapes), how to load its weights
 * and how to run a batch. Read from the class itself, by the conventions every generated class follows
 * (docs/embedding.md): a {@code NAME_SHAPE} constant per input, then per output, in the network's order;
 * {@code load(...)} and {@code randomWeights(long)}; {@code newSession(batch, threads)}; and a {@code Session} whose
 * {@code forward} takes the inputs, then the outputs, as {@code float[]}.
 *
 * <p>Serializable: it travels to the executors inside the scoring function, as the class's name; the executor
 * finds the class on its own class path (the application's jar).
 *
 * @param <M> the generated class
 */
public final class NetcModel<M> implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** One input or output of the network: its name and its shape without the batch dimension. */
  public record Port(String name, List<Integer> dims) implements Serializable {
    /** A port; {@code dims} is copied. */
    public Port {
      dims = List.copyOf(dims);
    }

    /** The number of floats one item holds. */
    public int size() {
      int n = 1;
      for (int d : dims) n = Math.multiplyExact(n, d);
      return n;
    }

    @Override
    public String toString() {
      return name + " " + dims;
    }
  }

  private final Class<M> type;
  private final List<Port> inputs;
  private final List<Port> outputs;
  private transient Methods methods;

  private NetcModel(Class<M> type, List<Port> inputs, List<Port> outputs) {
    this.type = type;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
  }

  /**
   * The model of a generated class. Throws {@link IllegalArgumentException}, naming what is missing, for a class
   * that does not look like one netc generated.
   */
  public static <M> NetcModel<M> of(Class<M> generated) {
    Methods m = Methods.of(generated);
    List<Field> shapes = new ArrayList<>();
    for (Field f : generated.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && f.getType() == Shape.class && f.getName().endsWith("_SHAPE")) {
        shapes.add(f);
      }
    }
    int inputCount = m.forwardInputs.getParameterCount();
    int total = m.forwardInto.getParameterCount();
    if (shapes.size() != total) {
      throw notGenerated(generated, total + " *_SHAPE constants (one per input and output), found " + shapes.size());
    }
    List<String> outputNames = outputNames(m, shapes.subList(inputCount, total));
    List<Port> inputs = new ArrayList<>();
    List<Port> outputs = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      Shape s = (Shape) read(shapes.get(i));
      List<Integer> dims = Arrays.stream(s.dims()).boxed().toList();
      if (i < inputCount) {
        inputs.add(new Port(portName(shapes.get(i)), dims));
      } else {
        outputs.add(new Port(outputNames.get(i - inputCount), dims));
      }
    }
    NetcModel<M> model = new NetcModel<>(generated, inputs, outputs);
    model.methods = m;
    return model;
  }

  /** The generated class. */
  public Class<M> type() {
    return type;
  }

  /** The network's inputs, in the order {@code forward} takes them. */
  public List<Port> inputs() {
    return inputs;
  }

  /** The network's outputs, in the order {@code forward} writes them. */
  public List<Port> outputs() {
    return outputs;
  }

  /** The input named {@code name}, or an {@link IllegalArgumentException} that lists the inputs. */
  public Port input(String name) {
    for (Port p : inputs) if (p.name().equals(name)) return p;
    throw new IllegalArgumentException(type.getSimpleName() + " has no input named \"" + name + "\"; its inputs: " + inputs);
  }

  /** Weights from a safetensors file, memory-mapped while they load. */
  public M load(Path safetensors) throws IOException {
    return type.cast(invokeStatic(methods().loadPath, safetensors));
  }

  /** Weights from a stream of safetensors bytes (read up to the last tensor, not closed). */
  public M load(InputStream in) throws IOException {
    return type.cast(invokeStatic(methods().loadStream, in));
  }

  /** Weights from the remaining bytes of a buffer. */
  public M load(ByteBuffer bytes) throws IOException {
    return type.cast(invokeStatic(methods().loadBuffer, bytes));
  }

  /** Seeded random weights, as {@code randomWeights(seed)} makes them. */
  public M randomWeights(long seed) {
    try {
      return type.cast(invokeStatic(methods().randomWeights, seed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A session of {@code model} for {@code batch} items on at most {@code threads} threads, with its own input and
   * output arrays. For one thread at a time.
   */
  public Runner newRunner(Object model, int batch, int threads) {
    Methods m = methods();
    Object session = invoke(m.newSession, type.cast(model), batch, threads);
    return new Runner(m, session, batch, inputs, outputs);
  }

  private Methods methods() {
    Methods m = methods;
    if (m == null) {
      m = Methods.of(type);
      methods = m;
    }
    return m;
  }

  /**
   * A session with batch-sized input and output arrays. {@link #forward()} runs the network on what
   * {@link #input(int)} holds and leaves the result in {@link #output(int)}.
   */
  public static final class Runner implements AutoCloseable {
    private final Methods methods;
    private final Object session;
    private final int batch;
    private final float[][] inputs;
    private final float[][] outputs;
    private final Object[] args;

    private Runner(Methods methods, Object session, int batch, List<Port> in, List<Port> out) {
      this.methods = methods;
      this.session = session;
      this.batch = batch;
      inputs = new float[in.size()][];
      outputs = new float[out.size()][];
      args = new Object[in.size() + out.size()];
      for (int i = 0; i < in.size(); i++) args[i] = inputs[i] = new float[Math.multiplyExact(batch, in.get(i).size())];
      for (int i = 0; i < out.size(); i++) {
        args[in.size() + i] = outputs[i] = new float[Math.multiplyExact(batch, out.get(i).size())];
      }
    }

    /** Items per forward pass. */
    public int batch() {
      return batch;
    }

    /** Input {@code i}'s array: {@code batch} items, item after item. */
    public float[] input(int i) {
      return inputs[i];
    }

    /** Output {@code i}'s array, written by {@link #forward()}. */
    public float[] output(int i) {
      return outputs[i];
    }

    /**
     * Runs the network. An input the network cannot take (a token id that is NaN or out of range) is an
     * {@link InputException}; anything else the network throws is rethrown as it is.
     */
    public void forward() {
      invoke(methods.forwardInto, session, args);
    }

    @Override
    public void close() {
      invoke(methods.close, session);
    }
  }

  /** The reflective handles, found once per JVM and class. */
  private record Methods(Method loadPath, Method loadStream, Method loadBuffer, Method randomWeights, Method newSession,
                         Method forwardInputs, Method forwardInto, Method close, Class<?> outputsRecord) {
    static Methods of(Class<?> type) {
      Class<?> session = nested(type, "Session");
      Method forwardInto = null;
      Method forwardInputs = null;
      for (Method m : session.getMethods()) {
        if (!m.getName().equals("forward") || !allFloatArrays(m)) continue;
        if (m.getReturnType() == void.class) {
          forwardInto = m;
        } else {
          forwardInputs = m;
        }
      }
      if (forwardInto == null || forwardInputs == null) {
        throw notGenerated(type, "Session.forward(inputs) and Session.forward(inputs, outputs) taking float[]");
      }
      Class<?> outputs = null;
      for (Class<?> c : type.getDeclaredClasses()) if (c.isRecord() && c.getSimpleName().equals("Outputs")) outputs = c;
      return new Methods(
          method(type, "load", Path.class), method(type, "load", InputStream.class),
          method(type, "load", ByteBuffer.class), method(type, "randomWeights", long.class),
          method(type, "newSession", int.class, int.class), forwardInputs, forwardInto,
          method(session, "close"), outputs);
    }

    private static boolean allFloatArrays(Method m) {
      for (Class<?> p : m.getParameterTypes()) if (p != float[].class) return false;
      return m.getParameterCount() > 0;
    }

    private static Class<?> nested(Class<?> type, String name) {
      for (Class<?> c : type.getDeclaredClasses()) if (c.getSimpleName().equals(name)) return c;
      throw notGenerated(type, "a nested class " + name);
    }

    private static Method method(Class<?> type, String name, Class<?>... params) {
      try {
        return type.getMethod(name, params);
      } catch (NoSuchMethodException e) {
        throw notGenerated(type, name + Arrays.toString(params).replace('[', '(').replace(']', ')'));
      }
    }
  }

  /** Output names: the {@code Outputs} record's components when there are several, else the constant's name. */
  private static List<String> outputNames(Methods m, List<Field> shapes) {
    if (shapes.size() > 1 && m.outputsRecord() != null) {
      RecordComponent[] parts = m.outputsRecord().getRecordComponents();
      if (parts.length == shapes.size()) return Arrays.stream(parts).map(RecordComponent::getName).toList();
    }
    return shapes.stream().map(NetcModel::portName).toList();
  }

  /** {@code LOG_PROBS_SHAPE -> log_probs}: the network's name when it was lower snake case, as it usually is. */
  private static String portName(Field shape) {
    String n = shape.getName();
    return n.substring(0, n.length() - "_SHAPE".length()).toLowerCase(Locale.ROOT);
  }

  private static Object read(Field f) {
    try {
      return f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static IllegalArgumentException notGenerated(Class<?> type, String missing) {
    return new IllegalArgumentException(type.getName() + " is not a class generated by netc: expected " + missing);
  }

  private static Object invokeStatic(Method m, Object arg) throws IOException {
    try {
      return m.invoke(null, arg);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw rethrow(e);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw rethrow(e);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RuntimeException rethrow(InvocationTargetException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) return r;
    if (cause instanceof Error err) throw err;
    return new IllegalStateException(cause);
  }
}
