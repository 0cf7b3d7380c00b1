package dev.netc.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import dev.netc.compiler.diag.UserError;
import dev.netc.compiler.emit.cuda.CudaEmitter;
import dev.netc.compiler.emit.cuda.CudaProgram;
import dev.netc.compiler.emit.cuda.CudaUnsupportedException;
import dev.netc.compiler.emit.cuda.Nvcc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CUDA back end over the whole stdlib and the reference cases: every network compiles to CUDA kernels except the
 * ones listed in {@link #UNSUPPORTED} (whose op must be named in the refusal), and every generated translation unit
 * compiles with {@code nvcc} to PTX with warnings as errors, in one nvcc run. Skipped, saying so, without nvcc.
 */
class CudaNvccTest {
  /** Stdlib networks with an op that has no CUDA kernel yet, with that op. */
  private static final Map<String, String> UNSUPPORTED = Map.of();

  /** Units compiled with the device optimizer on, as the command line compiles them. */
  private static final List<String> OPTIMIZED = List.of("stdlib-models_resnet50.cu", "stdlib-models_mobilenet_v2.cu");

  @Test
  void everyStdlibNetworkAndReferenceCaseCompilesToPtx() throws Exception {
    Path dir = Repo.root().resolve("test-suite/target/cuda-nvcc");
    Files.createDirectories(dir);
    List<Path> sources = new ArrayList<>();
    Map<String, String> refused = new TreeMap<>();
    for (Path f : netFiles()) {
      String name = f.getFileName().toString().replace(".net", "");
      Compilation c;
      try {
        c = Compiler.compile(f);
      } catch (UserError e) {
        continue;  // not a network file of its own (blocks); the conformance tests cover these
      }
      for (Compilation.Network n : c.networks()) {
        if (!n.name().equals(name) && c.networks().size() > 1) continue;
        try {
          CudaProgram p = CudaEmitter.emit(n.plan());
          Path cu = dir.resolve(f.getParent().getFileName() + "_" + name + ".cu");
          Files.writeString(cu, p.source());
          sources.add(cu);
        } catch (CudaUnsupportedException e) {
          refused.put(name, e.getMessage());
        }
      }
    }
    System.out.println("cuda: " + sources.size() + " networks compile to CUDA; refused: " + refused);
    Map<String, String> stdlibRefused = new TreeMap<>(refused);
    stdlibRefused.keySet().removeIf(k -> !UNSUPPORTED.containsKey(k) && isReferenceCase(k));
    assertEquals(new TreeMap<>(UNSUPPORTED).keySet(), stdlibRefused.keySet(),
        "stdlib networks refused by the CUDA back end: " + stdlibRefused);
    stdlibRefused.forEach((k, msg) -> assertTrue(msg.contains("'" + UNSUPPORTED.get(k) + "'"), msg));
    Optional<Path> nvcc = Nvcc.find();
    assumeTrue(nvcc.isPresent(), "nvcc is not on this machine: the PTX compilation test is skipped");
    long t0 = System.nanoTime();
    // Two nvcc runs: the two benchmark models as the CLI compiles them (-O3), every other unit with the device
    // optimizer at -O0 (five times faster; the front end, which issues the warnings, is the same).
    List<Path> optimized = sources.stream().filter(p -> OPTIMIZED.contains(p.getFileName().toString())).toList();
    List<Path> quick = sources.stream().filter(p -> !optimized.contains(p)).toList();
    assertEquals(OPTIMIZED.size(), optimized.size(), "benchmark models among " + sources);
    List<Path> ptx = new ArrayList<>(Nvcc.ptx(nvcc.get(), optimized, dir.resolve("ptx"), true));
    ptx.addAll(Nvcc.ptx(nvcc.get(), quick, dir.resolve("ptx"), false));
    System.out.printf("cuda: nvcc compiled %d translation units to PTX (%s) in %.1f s%n", ptx.size(), Nvcc.ARCH,
        (System.nanoTime() - t0) / 1e9);
    for (Path p : ptx) assertTrue(Files.readString(p).contains(".entry"), p + " has no kernel entry");
  }

  private static boolean isReferenceCase(String name) {
    return Files.isRegularFile(Repo.resources().resolve("reference/" + name + ".net"));
  }

  private static List<Path> netFiles() throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(Repo.root().resolve("stdlib-models"))) {
      s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    try (Stream<Path> s = Files.list(Repo.resources().resolve("reference"))) {
      s.filter(p -> p.toString().endsWith(".net")).sorted().forEach(files::add);
    }
    return files;
  }
}
