package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.emit.cuda.CudaProgram.Launch;
import dev.netc.compiler.emit.cuda.CudaProgram.Ptr;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code __global__} function being written: its name, its pointer parameters with the places they point
 * to, and its body. Every kernel takes {@code int batch} first, then its pointers in the order they were added.
 */
final class Kernel {
  final String name;
  private final List<String> params = new ArrayList<>();
  private final List<Ptr> ptrs = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();
  private final List<String> header = new ArrayList<>();
  private final List<String> globals = new ArrayList<>();

  Kernel(String name) { this.name = name; }

  /** A pointer parameter; {@code write}: the kernel stores through it. */
  String param(String name, Ptr at, boolean write) {
    params.add((write ? "float* " : "const float* ") + name);
    ptrs.add(at);
    return name;
  }

  /** A comment line above the function. */
  Kernel comment(String line) {
    header.add("// " + line.replace("\n", " "));
    return this;
  }

  /** A constant table at file scope, before the function: {@code __device__ const TYPE name[] = {...};}. */
  String table(String type, String suffix, String values) {
    String t = name + "_" + suffix;
    globals.add("__device__ const " + type + " " + t + "[] = {" + values + "};");
    return t;
  }

  /** Body lines, indented by the caller's two-space steps; each ends with a newline here. */
  Kernel line(String code) {
    body.append("  ").append(code).append('\n');
    // The item index goes unused where every tensor is unbatched; say so, or nvcc warns.
    if (code.startsWith("const int n = ")) body.append("  (void) n;\n");
    return this;
  }

  Kernel lines(String block) {
    for (String l : block.stripTrailing().split("\n", -1)) line(l);
    return this;
  }

  List<Ptr> ptrs() { return List.copyOf(ptrs); }

  String source(int threads) {
    StringBuilder b = new StringBuilder();
    for (String g : globals) b.append(g).append('\n');
    for (String h : header) b.append(h).append('\n');
    b.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") ").append(name)
        .append("(int batch");
    for (String p : params) b.append(", ").append(p);
    return b.append(") {\n").append(body).append("}\n\n").toString();
  }

  /** The launch of this kernel over {@code work + workPerItem × batch} items, {@code perBlock} per block. */
  Launch launch(long work, long workPerItem, int perBlock, int gridY, int gridZ, int threads, boolean barrier,
      String comment) {
    return new Launch(name, work, workPerItem, perBlock, gridY, gridZ, threads, barrier, ptrs(), comment);
  }
}
