package dev.netc.compiler.emit.java;

import static dev.netc.compiler.emit.java.RuntimeTypes.PARALLEL_TASK;

import com.palantir.javapoet.CodeBlock;
import dev.netc.compiler.plan.Plan.Buffer;

/**
 * Runs a plane-wise serial kernel (pooling over NCHW planes) on the session's executor: the step becomes a
 * constant {@code ParallelTask} (a lambda that captures nothing) whose chunk {@code k} handles planes
 * {@code [k·n/chunks, (k+1)·n/chunks)}, reading its arrays and offsets from the executor's call frame. Small steps
 * stay serial: handing out chunks costs more than they save.
 */
final class Parallel {
  /** Steps touching fewer elements than this run on the calling thread alone. */
  static final long MIN_WORK = 1 << 15;

  private Parallel() {}

  /**
   * The forward code of a plane-wise step: {@code serial} (with {@code x, xOff, y, yOff} as the arrays and offsets
   * and {@code planes} planes) when small, else a task over plane ranges; {@code call} is the kernel call for planes
   * {@code [lo, hi)} written against {@code f.src, f.dst} and the plane offsets {@code lo * inPlane}.
   */
  static CodeBlock planes(StepContext s, Buffer in, Buffer out, long planes, long inPlane, long outPlane, long work,
      KernelCall call) {
    boolean batched = in.batched();
    if (work < MIN_WORK || planes < 2) {
      return CodeBlock.builder().addStatement("$L", call.of(s.mem().array(in), s.mem().offset(in), s.mem().array(out),
          s.mem().offset(out), Memory.scaled(planes, batched))).build();
    }
    s.parts().use(Helpers.Helper.PARALLEL);
    CodeBlock body = call.of(CodeBlock.of("f.src"), CodeBlock.of("f.srcOff + lo * $L", inPlane), CodeBlock.of("f.dst"),
        CodeBlock.of("f.dstOff + lo * $L", outPlane), CodeBlock.of("hi - lo"));
    String task = s.parts().constant(PARALLEL_TASK, s.baseName() + "Task", CodeBlock.builder()
        .add("(f, chunk, scratch) -> {\n$>")
        .addStatement("int lo = chunk * f.n0 / f.n1")
        .addStatement("int hi = (chunk + 1) * f.n0 / f.n1")
        .addStatement("$L", body)
        .add("$<}").build());
    return CodeBlock.builder().addStatement("parallel($N, $L, $L, $L)", task, s.mem().at(in), s.mem().at(out),
        Memory.scaled(planes, batched)).build();
  }

  /** A kernel call over planes given as expressions. */
  @FunctionalInterface
  interface KernelCall {
    CodeBlock of(CodeBlock x, CodeBlock xOff, CodeBlock y, CodeBlock yOff, CodeBlock planes);
  }
}
