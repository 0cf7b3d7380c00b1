package dev.netc.compiler.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netc.compiler.Compiler;
import dev.netc.compiler.ir.Graph;
import dev.netc.compiler.opt.Pipeline;
import dev.netc.compiler.plan.Plan.Buffer;
import dev.netc.compiler.plan.Plan.Step;
import dev.netc.compiler.plan.Plan.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
  @TempDir Path dir;

  static Plan plan(Path dir, String text) throws IOException {
    Path f = Files.createTempFile(dir, "p", ".net");
    Files.writeString(f, text);
    Graph g = Compiler.compile(f).graphs().getFirst();
    return Planner.plan(Pipeline.run(g));
  }

  /**
   * The memory-safety invariant: a step never writes over a value that a later step still reads, unless the
   * write is the in-place update of that very value by its only reader.
   */
  static void verify(Plan p) {
    int steps = p.steps().size();
    int[] lastRead = new int[p.buffers().size()];
    java.util.Arrays.fill(lastRead, -1);
    for (int s = 0; s < steps; s++) for (int in : p.steps().get(s).inputs()) lastRead[in] = s;
    for (int s = 0; s < steps; s++) {
      Step st = p.steps().get(s);
      Buffer out = p.buffer(st.output());
      for (Buffer b : p.buffers()) {
        if (b.id() == out.id() || lastRead[b.id()] <= s || written(p, b) > s || written(p, b) < 0) continue;
        if (st.inputs().contains(b.id()) && lastRead[b.id()] == s) continue;
        if (overlaps(p, out, b) && !sameValueView(p, out, b)) {
          fail("step " + s + " (" + st.comment() + ") overwrites b" + b.id() + " which step " + lastRead[b.id()] + " reads");
        }
      }
    }
  }

  /**
   * The step that writes a buffer (inputs before step 0; a view when its source is written; an elided concat when
   * the first of its slices is written).
   */
  private static int written(Plan p, Buffer b) {
    if (b.storage() instanceof Storage.Input) return 0;
    if (b.isView()) return written(p, p.buffer(b.viewOf()));
    for (int s = 0; s < p.steps().size(); s++) if (p.steps().get(s).output() == b.id()) return s;
    for (int s = 0; s < p.steps().size(); s++) if (isSliceOf(p, p.buffer(p.steps().get(s).output()), b)) return s;
    return -1;
  }

  /** Whether {@code slice} is a producer's channel slice of elided concat buffer {@code whole}. */
  static boolean isSliceOf(Plan p, Buffer slice, Buffer whole) {
    return slice.storage() instanceof Storage.Arena x && x.isSlice() && whole.storage() instanceof Storage.Arena y
        && !y.isSlice() && x.offset() == y.offset() && slice.batched() == whole.batched()
        && p.graph().node(whole.node()).inputs().contains(slice.node());
  }

  /** A view and its source hold one value: writing one is writing the other; so are a concat and its slices. */
  private static boolean sameValueView(Plan p, Buffer a, Buffer b) {
    return a.viewOf() == b.id() || b.viewOf() == a.id() || a.storage().equals(b.storage()) && a.node() == b.node()
        || isSliceOf(p, a, b) || isSliceOf(p, b, a);
  }

  /** Overlap of the floats of one batch item (a slice starts {@code within} into its concat's item). */
  private static boolean overlaps(Plan p, Buffer a, Buffer b) {
    if (!(a.storage() instanceof Storage.Arena x) || !(b.storage() instanceof Storage.Arena y)) return a.storage().equals(b.storage());
    if (a.batched() != b.batched()) return false;
    long xs = x.offset() + x.within();
    long ys = y.offset() + y.within();
    return xs < ys + b.size() && ys < xs + a.size();
  }

  @Test
  void inceptionConcatIsElided() throws IOException {
    Plan p = plan(dir, """
        network net {
          input x: [3, 8, 8]
          conv(32, 3, pad: 1); relu
          mix: concat {
            [conv(16, 1), batchnorm, relu]
            [conv(8, 1), relu, conv(32, 3, pad: 1), relu]
            [maxpool(3, stride: 1, pad: 1), conv(12, 1)]
          }
          conv(16, 1)
          head out { global_avgpool; flatten }
        }
        """);
    verify(p);
    for (Step s : p.steps()) assertTrue(!p.node(s).path().equals("mix"), "a step for the concat: " + s.comment());
    java.util.List<Long> within = new java.util.ArrayList<>();
    for (Buffer b : p.buffers()) {
      if (b.storage() instanceof Storage.Arena a && a.isSlice()) {
        within.add(a.within());
        assertEquals(Plan.Layout.NCHWC16, b.layout());
        assertEquals(64 * 64, a.imageStride(), "60 channels padded to 64, 8x8 each");
      }
    }
    assertEquals(java.util.List.of(0L, 16L * 64, 48L * 64), within);
  }

  @Test
  void concatsThatCannotBeWrittenInPlaceAreCopied() throws IOException {
    // 8 channels: the second slice would start inside a block; a fused residual; a pooling producer.
    for (String branches : java.util.List.of("conv(8, 1); conv(8, 1)", "conv(16, 1); [conv(16, 1), add(@x)]",
        "conv(16, 1); maxpool(3, stride: 1, pad: 1)")) {
      Plan p = plan(dir, "network net { input x: [16, 8, 8]; mix: concat { " + branches + " }; conv(4, 1) }");
      verify(p);
      assertTrue(p.steps().stream().anyMatch(s -> p.node(s).path().equals("mix")), branches);
      assertTrue(p.buffers().stream().noneMatch(b -> b.storage() instanceof Storage.Arena a && a.isSlice()), branches);
    }
  }

  @Test
  void residualNetworkIsMemorySafeAndTight() throws IOException {
    Plan p = plan(dir, """
        block B(c: int, s: int = 1) {
          residual { conv(c, 3, stride: s, pad: 1); batchnorm; relu; conv(c, 3, pad: 1); batchnorm }
          shortcut when (s != 1) { conv(c, 1, stride: s); batchnorm }
          relu
        }
        network net {
          input x: [3, 32, 32]
          conv(16, 3, pad: 1); batchnorm; relu
          maxpool(2)
          repeat 2: B(16)
          B(32, s: 2)
          concat { conv(8, 1); [avgpool(3, stride: 1, pad: 1), conv(8, 1)] }
          head out { global_avgpool; flatten; linear(10); softmax }
        }
        """);
    verify(p);
    assertTrue(p.batchedArena() >= p.batchedLowerBound());
    // Greedy placement is within 2x of the liveness lower bound on networks like this one.
    assertTrue(p.batchedArena() <= 2 * p.batchedLowerBound(), p.batchedArena() + " vs " + p.batchedLowerBound());
    assertEquals(Step.Kind.WRITE_OUTPUT, p.steps().getLast().kind());
  }

  @Test
  void inputsAreNeverOverwritten() throws IOException {
    Plan p = plan(dir, "network net { input x: [4, 8, 8]; relu; scale(2.0); add(@x) }");
    for (Step s : p.steps()) assertTrue(!(p.buffer(s.output()).storage() instanceof Storage.Input), s.comment());
    verify(p);
  }

  @Property(tries = 60)
  void randomChainsAreMemorySafe(@ForAll @IntRange(min = 1, max = 6) int depth, @ForAll @IntRange(min = 1, max = 3) int width,
      @ForAll @IntRange(min = 0, max = 1) int pool) throws IOException {
    Path d = Files.createTempDirectory("plan");
    StringBuilder b = new StringBuilder("network net {\n  input x: [8, 16, 16]\n");
    for (int i = 0; i < depth; i++) {
      b.append("  conv(8, 3, pad: 1) -> t").append(i).append("\n  relu\n");
      if (width > 1) {
        b.append("  add {\n");
        for (int w = 0; w < width; w++) b.append("    [conv(8, 1), ").append(w % 2 == 0 ? "relu" : "sigmoid").append("]\n");
        b.append("  }\n");
      }
      if (pool == 1 && i % 2 == 1) b.append("  maxpool(3, stride: 1, pad: 1)\n");
      if (i > 0) b.append("  add(@t").append(i - 1).append(")\n");
    }
    b.append("}\n");
    verify(plan(d, b.toString()));
  }
}
