package dev.netc.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.palantir.javapoet.JavaFile;
import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.emit.cuda.CudaEmitter;
import dev.netc.compiler.emit.cuda.CudaJavaEmitter;
import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.CudaUnsupportedException;
import dev.netc.compiler.emit.cuda.Nvcc;
import dev.netc.compiler.emit.java.EmitOptions;
import dev.netc.compiler.interp.Interpreter;
import dev.netc.compiler.interp.Weights;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.ir.Input;
import dev.netc.compiler.ops.Value;
import dev.netc.runtime.Tensor;
import dev.netc.runtime.io.Json;
import dev.netc.runtime.io.Npy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The class {@code --target cuda} generates, compiled with javac against this module and loaded with its resources
 * (the launch table, and PTX when nvcc is here). Without a GPU: loading fails with {@link CudaUnavailableException}
 * and one line. With a GPU (and nvcc): every reference case the CUDA back end compiles runs on the GPU and must
 * match the interpreter within the reference tolerance ({@code 1e-4 + 1e-3·|expected|}), and its launches replayed
 * as a CUDA Graph must give the same bits.
 */
class GeneratedCudaClassTest {
  private static Path root() { return Path.of(System.getProperty("netc.root", "..")); }

  @Test
  void generatedClassesLoadAndRunOrFailCleanly() throws Exception {
    boolean gpu = CudaDriverTest.cudaPresent();
    Optional<Path> nvcc = Nvcc.find();
    Path ref = root().resolve("test-suite/reference");
    List<String> failures = new ArrayList<>();
    int ran = 0;
    for (Object o : (List<?>) Json.parseObject(Files.readString(ref.resolve("MANIFEST.json"))).get("cases")) {
      Map<?, ?> c = (Map<?, ?>) o;
      String name = (String) c.get("name");
      if (!gpu && !name.equals("residual_basic")) continue;  // without a GPU one class shows the clean failure
      Path file = root().resolve("test-suite/src/test/resources/reference/" + name + ".net");
      Compilation.Network n = Compiler.compile(file).networks().stream().filter(x -> x.name().equals(name))
          .findFirst().orElseThrow();
      CudaProgram p;
      try {
        p = CudaEmitter.emit(n.plan());
      } catch (CudaUnsupportedException e) {
        System.out.println("cuda: " + name + ": " + e.getMessage());
        continue;
      }
      Path dir = root().resolve("runtime-cuda/target/generated-test/" + name);
      Class<?> cls = compile(n, p, dir, nvcc);
      Path weights = ref.resolve("cases").resolve((String) c.get("weights"));
      Method load = cls.getMethod("load", Path.class);
      if (!gpu) {
        InvocationTargetException e = org.junit.jupiter.api.Assertions.assertThrows(InvocationTargetException.class,
            () -> load.invoke(null, weights));
        assertInstanceOf(CudaUnavailableException.class, e.getCause(), String.valueOf(e.getCause()));
        assertFalse(e.getCause().getMessage().contains("\n"));
        System.out.println("cuda: without a GPU the generated class says: " + e.getCause().getMessage());
        return;
      }
      if (nvcc.isEmpty()) fail("a GPU is here but nvcc is not: cannot make the PTX");
      Object model = load.invoke(null, weights);
      Graph g = n.graph();
      Map<String, Tensor> inputs = new LinkedHashMap<>();
      ((Map<?, ?>) c.get("inputs")).forEach((k, v) -> inputs.put((String) k,
          npy(ref.resolve("cases").resolve((String) ((Map<?, ?>) v).get("file")))));
      List<String> names = g.inputs().stream().map(id -> ((Input) g.node(id).op()).inputName()).toList();
      List<Tensor> values = List.copyOf(inputs.values());
      Map<String, Tensor> byName = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) byName.put(names.get(i), inputs.getOrDefault(names.get(i), values.get(i)));
      int batch = byName.values().iterator().next().shape().dim(0);
      Object session = cls.getMethod("newSession", int.class).invoke(model, batch);
      Method forward = session.getClass().getMethods()[0];
      for (Method m : session.getClass().getMethods()) if (m.getName().equals("forward")) forward = m;
      Object out = forward.invoke(session, byName.values().stream().map(Tensor::data).toArray());
      float[][] got = out instanceof float[] f ? new float[][] {f} : (float[][]) out;
      Map<String, Tensor> want = new Interpreter(g, Weights.load(weights, g)).run(byName);
      int i = 0;
      for (var e : want.entrySet()) {
        String cmp = compare(got[i++], e.getValue().data());
        System.out.println("cuda gpu vs interpreter: " + name + " output " + e.getKey() + ": " + cmp);
        if (cmp.startsWith("FAIL")) failures.add(name + " " + e.getKey() + ": " + cmp);
      }
      ((AutoCloseable) session).close();
      // The same forward replayed as a CUDA Graph: the same kernels in the same order, so the same bits.
      System.setProperty(CudaNetwork.GRAPHS, "true");
      try (AutoCloseable graphed = (AutoCloseable) cls.getMethod("newSession", int.class).invoke(model, batch)) {
        for (int rep = 0; rep < 2; rep++) {
          Object again = forward.invoke(graphed, byName.values().stream().map(Tensor::data).toArray());
          float[][] g2 = again instanceof float[] f ? new float[][] {f} : (float[][]) again;
          for (int j = 0; j < got.length; j++) {
            if (!java.util.Arrays.equals(got[j], g2[j])) failures.add(name + ": the CUDA Graph replay differs");
          }
        }
      } finally {
        System.clearProperty(CudaNetwork.GRAPHS);
      }
      ran++;
    }
    if (gpu) {
      assertTrue(ran > 0, "no case ran on the GPU");
      if (!failures.isEmpty()) fail("GPU results differ from the interpreter:\n  " + String.join("\n  ", failures));
    }
  }

  /**
   * A model whose inputs are token ids (the stdlib's LSTM language model, small): the generated class checks them on
   * the host before each forward, naming the embedding layer, and compiles with javac.
   */
  @Test
  void generatedClassChecksTokenIdsOnTheHost() throws Exception {
    Path file = root().resolve("stdlib-models/lstm_lm.net");
    Compilation.Network n = Compiler.compile(Compiler.Options.file(file).withNetwork("lstm_lm").withParams(Map.of(
        "vocab", new Value.Int(50), "hidden", new Value.Int(24), "steps", new Value.Int(7)))).networks().getFirst();
    CudaProgram p = CudaEmitter.emit(n.plan());
    String src = CudaJavaEmitter.emit(n.plan(), p, n.emitOptions().withPackage("netc.cudatest")).toString();
    assertTrue(src.contains("CudaNetwork.checkTokenIds(words, 50, 7, \"encoder\");"), src);
    compile(n, p, root().resolve("runtime-cuda/target/generated-test/lstm_lm"), Optional.empty());
  }

  /** Largest error and the count out of tolerance; "FAIL" first when any element is out. */
  private static String compare(float[] got, float[] want) {
    assertEquals(want.length, got.length, "output size");
    double max = 0;
    int bad = 0;
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs((double) got[i] - want[i]);
      if (Double.isNaN(err) || err > 1e-4 + 1e-3 * Math.abs(want[i])) bad++;
      max = Math.max(max, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
    }
    return String.format(Locale.ROOT, "%smax |error| %.3g, %d of %d out of tolerance", bad > 0 ? "FAIL: " : "", max,
        bad, want.length);
  }

  /** Writes the class, its .cu, launch table and (with nvcc) PTX; compiles and loads the class. */
  static Class<?> compile(Compilation.Network n, CudaProgram p, Path dir, Optional<Path> nvcc) throws Exception {
    EmitOptions opts = n.emitOptions().withPackage("netc.cudatest");
    JavaFile jf = CudaJavaEmitter.emit(n.plan(), p, opts);
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    jf.writeTo(src);
    Path pkg = classes.resolve("netc/cudatest");
    Files.createDirectories(pkg);
    String cls = opts.className();
    Files.writeString(pkg.resolve(cls + ".launches"), CudaJavaEmitter.launchTable(p));
    Path cu = dir.resolve(cls + ".cu");
    Files.writeString(cu, p.source());
    if (nvcc.isPresent()) {
      Path ptx = Nvcc.ptx(nvcc.get(), List.of(cu), dir.resolve("ptx")).getFirst();
      Files.copy(ptx, pkg.resolve(cls + ".ptx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path java = src.resolve("netc/cudatest/" + cls + ".java");
    int rc = javac.run(null, null, null, "-Xlint:all", "-Werror", "-proc:none", "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), java.toString());
    assertEquals(0, rc, "javac failed on " + java);
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        GeneratedCudaClassTest.class.getClassLoader());
    return loader.loadClass("netc.cudatest." + cls);
  }

  private static Tensor npy(Path p) {
    try {
      return Npy.read(p);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
