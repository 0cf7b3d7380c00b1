package dev.netc.compiler.emit.java;

import com.palantir.javapoet.JavaFile;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated sources in memory with the JDK's compiler ({@code javax.tools}) against the runtime (and the
 * compiler, for harness classes) and loads them in a fresh class loader. Warnings are errors: generated code must
 * compile under {@code -Xlint:all -Werror}.
 */
public final class InMemoryJavac {
  /** The options every generated source must pass. */
  public static final List<String> OPTIONS = List.of("-Xlint:all", "-Werror", "-proc:none", "-g");

  private InMemoryJavac() {}

  /** Compilation failed: the message lists javac's diagnostics with their source lines. */
  public static final class CompileException extends RuntimeException {
    public CompileException(String message) { super(message); }
  }

  /** Compiles {@code files} together and returns a class loader that defines them (and delegates the rest). */
  public static ClassLoader compile(List<JavaFile> files) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new CompileException("no Java compiler in this runtime: run netc on a JDK, not a JRE");
    }
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (JavaFile f : files) sources.add(f.toJavaFileObject());
    List<String> options = new ArrayList<>(OPTIONS);
    options.add("-classpath");
    options.add(classPath());
    StandardJavaFileManager std = javac.getStandardFileManager(diags, Locale.ROOT, null);
    try (Memory fm = new Memory(std, classes)) {
      boolean ok = javac.getTask(null, fm, diags, options, null, sources).call();
      if (!ok || !diags.getDiagnostics().isEmpty()) throw new CompileException(report(diags));
    } catch (java.io.IOException e) {
      throw new CompileException("javac's file manager failed: " + e.getMessage());
    }
    Map<String, byte[]> bytes = new HashMap<>();
    classes.forEach((name, out) -> bytes.put(name, out.toByteArray()));
    return new Loader(bytes, InMemoryJavac.class.getClassLoader());
  }

  /** Where the runtime's and the compiler's classes are: directories in a build, jars when packaged. */
  static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> c : List.of(dev.netc.runtime.Tensor.class, InMemoryJavac.class)) {
      CodeSource cs = c.getProtectionDomain().getCodeSource();
      if (cs == null || cs.getLocation() == null) continue;
      try {
        entries.add(Path.of(cs.getLocation().toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        // Not a file location (a custom class loader): fall back to the JVM's class path below.
      }
    }
    entries.add(System.getProperty("java.class.path", ""));
    return String.join(File.pathSeparator, entries);
  }

  private static String report(DiagnosticCollector<JavaFileObject> diags) {
    StringBuilder b = new StringBuilder("generated code does not compile cleanly:\n");
    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
      String src = d.getSource() == null ? "" : d.getSource().getName();
      b.append(src).append(':').append(d.getLineNumber()).append(": ").append(d.getKind().name().toLowerCase(Locale.ROOT))
          .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
      if (d.getSource() != null && d.getLineNumber() > 0) {
        try {
          String[] lines = d.getSource().getCharContent(true).toString().split("\n", -1);
          b.append("    ").append(lines[(int) d.getLineNumber() - 1].strip()).append('\n');
        } catch (java.io.IOException | IndexOutOfBoundsException e) {
          // The line is only a convenience.
        }
      }
    }
    return b.toString();
  }

  /** Keeps class files in memory. */
  private static final class Memory extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> classes;

    Memory(StandardJavaFileManager std, Map<String, ByteArrayOutputStream> classes) {
      super(std);
      this.classes = classes;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
        FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          classes.put(className, out);
          return out;
        }
      };
    }
  }

  /** Defines the compiled classes; everything else comes from the parent (the runtime among it). */
  private static final class Loader extends ClassLoader {
    private final Map<String, byte[]> bytes;

    Loader(Map<String, byte[]> bytes, ClassLoader parent) {
      super(parent);
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = bytes.get(name);
      if (b == null) throw new ClassNotFoundException(name);
      return defineClass(name, b, 0, b.length);
    }
  }
}
