package dev.netc.compiler.emit.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CUDA sources to PTX with NVIDIA's {@code nvcc}, found on the {@code PATH}, under {@code $CUDA_HOME/bin} or
 * {@code /usr/local/cuda/bin}. The PTX targets virtual architecture {@link #ARCH} (Turing, the oldest CUDA 13 keeps),
 * so the driver JIT-compiles it for whatever GPU it finds; every warning is an error.
 */
public final class Nvcc {
  /** The virtual architecture of the PTX. */
  public static final String ARCH = "compute_75";

  private Nvcc() {}

  /** The {@code nvcc} executable, if this machine has one. */
  public static Optional<Path> find() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) for (String d : path.split(java.io.File.pathSeparator)) candidates.add(Path.of(d, "nvcc"));
    String home = System.getenv("CUDA_HOME");
    if (home != null) candidates.add(Path.of(home, "bin", "nvcc"));
    candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * Compiles each source to {@code <name>.ptx} in {@code outDir}, all in one {@code nvcc} run; a failure is an
   * {@link IOException} with nvcc's messages.
   */
  public static List<Path> ptx(Path nvcc, List<Path> sources, Path outDir) throws IOException {
    return ptx(nvcc, sources, outDir, true);
  }

  /**
   * As {@link #ptx(Path, List, Path)}; without {@code optimize} the device optimizer runs at {@code -O0} (about five
   * times faster, for checks: the front end, which issues the warnings, runs as always).
   */
  public static List<Path> ptx(Path nvcc, List<Path> sources, Path outDir, boolean optimize) throws IOException {
    Files.createDirectories(outDir);
    List<String> cmd = new ArrayList<>(List.of(nvcc.toString(), "--ptx", "-arch=" + ARCH));
    cmd.addAll(optimize ? List.of("-O3") : List.of("-Xcicc", "-O0"));
    cmd.addAll(List.of("-Werror", "all-warnings"));
    for (Path s : sources) cmd.add(s.toAbsolutePath().toString());
    // nvcc writes each .ptx into its working directory.
    Process p = new ProcessBuilder(cmd).directory(outDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("nvcc ran over 20 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while nvcc ran", e);
    }
    if (p.exitValue() != 0) throw new IOException("nvcc failed:\n" + out.strip());
    List<Path> ptx = new ArrayList<>();
    for (Path s : sources) {
      String name = s.getFileName().toString();
      Path f = outDir.resolve(name.substring(0, name.lastIndexOf('.')) + ".ptx");
      if (!Files.isRegularFile(f)) throw new IOException("nvcc wrote no " + f + ":\n" + out.strip());
      ptx.add(f);
    }
    return ptx;
  }
}
