package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental rules, on real files and the real compiler (small networks: each compile takes milliseconds). */
class GeneratorTest {
  private static final String PAIR = "block Pair(c: int) {\n  conv(c, 3, pad: 1);  relu\n}\n";
  private static final String TINY = """
      import "lib/pair.net"

      network Tiny(classes: int = 4) {
        input image: [1, 8, 8]
        c1: Pair(4)
        head logits { global_avgpool;  flatten;  fc: linear(classes) }
      }
      """;
  private static final String OTHER = "network Other {\n  input x: [4]\n  head y { fc: linear(3) }\n}\n";

  @TempDir Path dir;
  private Path src;
  private Path out;
  private final List<String> lines = new ArrayList<>();
  private BuildState state = BuildState.empty("fp");

  @BeforeEach
  void sources() throws IOException {
    src = dir.resolve("net");
    out = dir.resolve("gen");
    write("m/lib/pair.net", PAIR);
    write("m/tiny.net", TINY);
    write("m/other.net", OTHER);
  }

  @Test
  void aSecondRunWithNothingChangedWritesNothing() throws IOException {
    Generator.Summary first = run();
    assertEquals(2, first.generated());
    assertEquals(0, first.upToDate());
    assertTrue(lines.contains("netc: m/lib/pair.net -> no networks (blocks only)"), lines.toString());
    Path tiny = out.resolve("m/Tiny.java");
    Files.setLastModifiedTime(tiny, FileTime.fromMillis(1_000_000));
    Generator.Summary second = run();
    assertEquals(2, second.upToDate());
    assertEquals(0, second.generated());
    assertEquals(FileTime.fromMillis(1_000_000), Files.getLastModifiedTime(tiny));
  }

  @Test
  void anEditedImportRecompilesItsDependentsOnly() throws IOException {
    run();
    String before = Files.readString(out.resolve("m/Tiny.java"));
    write("m/lib/pair.net", PAIR.replace("conv(c, 3, pad: 1)", "conv(c, 1)"));
    lines.clear();
    Generator.Summary s = run();
    assertEquals(1, s.upToDate(), "Other does not import pair.net");
    assertEquals(1, s.generated());
    assertTrue(lines.contains("netc: m/tiny.net -> m.Tiny"), lines.toString());
    assertNotEquals(before, Files.readString(out.resolve("m/Tiny.java")));
  }

  @Test
  void aDeletedSourceTakesItsClassAlong() throws IOException {
    run();
    Files.delete(src.resolve("m/other.net"));
    Generator.Summary s = run();
    assertEquals(1, s.removed());
    assertFalse(Files.exists(out.resolve("m/Other.java")));
    assertFalse(state.entries().containsKey("m/other.net"));
  }

  @Test
  void aFileThatNoLongerCompilesKeepsNoClass() throws IOException {
    run();
    write("m/other.net", "network Other {\n  input x: [4]\n  head y { fc: linear(3 }\n}\n");
    Generator.Summary s = run();
    assertEquals(1, s.failedFiles());
    assertFalse(Files.exists(out.resolve("m/Other.java")), "no stale class");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(src.resolve("m/other.net") + ":3:")), lines.toString());
    assertFalse(state.entries().containsKey("m/other.net"), "it is compiled again next time");
  }

  @Test
  void aRenamedNetworkReplacesItsClass() throws IOException {
    run();
    write("m/other.net", OTHER.replace("Other", "Renamed"));
    run();
    assertFalse(Files.exists(out.resolve("m/Other.java")));
    assertTrue(Files.exists(out.resolve("m/Renamed.java")));
  }

  @Test
  void twoFilesMayNotGenerateOneClass() throws IOException {
    write("m/copy.net", OTHER);
    Generator.Summary s = run();
    assertEquals(1, s.errors());
    assertTrue(lines.stream().anyMatch(l -> l.contains("which m/copy.net already generates")), lines.toString());
  }

  @Test
  void anotherFingerprintRegeneratesEverything() throws IOException {
    run();
    write("m/stray.net", OTHER.replace("Other", "Stray"));
    run();
    Files.delete(src.resolve("m/stray.net"));
    Generator.Summary s = new Generator(src, out, null, false, log()).run(inputs(), state, "other-fp");
    assertEquals(0, s.upToDate());
    assertEquals(2, s.generated());
    assertFalse(Files.exists(out.resolve("m/Stray.java")));
  }

  @Test
  void aConfiguredPackageHoldsEveryClass() {
    new Generator(src, out, "com.acme.nets", false, log()).run(inputs(), state, "fp");
    assertTrue(Files.exists(out.resolve("com/acme/nets/Tiny.java")));
    assertTrue(Files.exists(out.resolve("com/acme/nets/Other.java")));
  }

  @Test
  void theCudaTargetWritesEachClassWithItsLaunchTableSourceAndPtx() throws IOException {
    Path res = dir.resolve("res");
    boolean nvcc = dev.netc.compiler.emit.cuda.Nvcc.find().isPresent();
    Generator.Summary s = new Generator(src, out, null, false, NetFile.Target.CUDA, res, log()).run(inputs(), state,
        "fp");
    assertEquals(2, s.generated(), lines.toString());
    assertEquals(0, s.errors(), lines.toString());
    assertTrue(Files.readString(out.resolve("m/Tiny.java")).contains("CudaNetwork"));
    assertTrue(Files.readString(res.resolve("m/Tiny.launches")).startsWith("prepare\n"));
    assertTrue(Files.readString(res.resolve("m/Other.cu")).contains("__global__"));
    assertEquals(nvcc, Files.isRegularFile(res.resolve("m/Tiny.ptx")), lines.toString());
    if (nvcc) assertTrue(Files.readString(res.resolve("m/Tiny.ptx")).contains(".entry"));
    else assertTrue(lines.stream().anyMatch(l -> l.contains("nvcc is not on this machine")), lines.toString());
    Generator.Summary again = new Generator(src, out, null, false, NetFile.Target.CUDA, res, log()).run(inputs(),
        s.state(), "fp");
    assertEquals(2, again.upToDate());
    assertEquals(0, again.generated());
    Files.delete(src.resolve("m/other.net"));
    new Generator(src, out, null, false, NetFile.Target.CUDA, res, log()).run(inputs(), again.state(), "fp");
    assertFalse(Files.exists(res.resolve("m/Other.launches")), "a removed network takes its resources along");
  }

  private Generator.Summary run() {
    Generator.Summary s = new Generator(src, out, null, false, log()).run(inputs(), state, "fp");
    state = s.state();
    return s;
  }

  private List<Path> inputs() { return SourceScan.of(src, null, null).files(); }

  private BuildLog log() {
    return new BuildLog() {
      @Override public void info(String line) { lines.add(line); }

      @Override public void warn(String line) { lines.add(line); }

      @Override public void error(String line) { lines.add(line); }
    };
  }

  private void write(String rel, String text) throws IOException {
    Path p = src.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }
}
