package dev.netc.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.exec.Executor;
import dev.netc.runtime.exec.WorkerPool;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Steady-state calls of conv (direct and Winograd, both schedules and tile sizes, reductions cut into parts, over
 * patches), depthwise and GEMM plans
 * allocate nothing on the calling thread
 * (at least one window of 200 calls out of five allocates zero bytes),
 * and the vector path is the one in use in this test JVM (which adds the incubator module).
 */
@Tag("allocation")
class PackedKernelsAllocationTest {
  @Test
  void theVectorPathIsActiveUnderTest() {
    assertTrue(PackedKernels.VECTOR, "tests run with --add-modules jdk.incubator.vector on AVX2 or better");
  }

  @Test
  void steadyStateCallsAllocateNothing() {
    Random rnd = new Random(5);
    ConvSpec conv = ConvSpec.conv2d(24, 40, 15, 13, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1);
    ConvSpec dw = ConvSpec.conv2d(40, 40, 8, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 40);
    Epilogue e = Epilogue.NONE.withBias(new float[40]).withResidual(true).withActivation(Activation.SILU);
    ConvPlan p1 = ConvPlan.create(conv, EpilogueCases.random(rnd, conv.weightSize()), 0, e, Layout.NCHWC16);
    ConvPlan p2 = ConvPlan.create(dw, EpilogueCases.random(rnd, dw.weightSize()), 0, e, Layout.NCHWC16);
    GemmPlan g = GemmPlan.create(GemmSpec.dense(70, 33), Epilogue.NONE.withActivation(Activation.RELU));
    // Winograd: ten ranges of tiles (2x2 tiles, 32 x 40 outputs), and one (4x4 tiles; 40 input channels: the last
    // block's check is masked)
    ConvSpec rangesSpec = ConvSpec.conv2d(32, 16, 32, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    ConvSpec oneRangeSpec = ConvSpec.conv2d(40, 40, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    ConvPlan w1 = ConvPlan.create(rangesSpec, EpilogueCases.random(rnd, rangesSpec.weightSize()), 0,
        Epilogue.NONE.withActivation(Activation.RELU), Layout.NCHWC16, PackedKernels.BITS, 2);
    ConvPlan w2 = ConvPlan.create(oneRangeSpec, EpilogueCases.random(rnd, oneRangeSpec.weightSize()), 0, e,
        Layout.NCHWC16, PackedKernels.BITS, 4);
    assertTrue(w1.winograd() && w2.winograd());
    // reductions cut into parts: over patches (3x3 stride 2, 5x5 outputs), and direct with border runs (6x6)
    ConvSpec patchSpec = ConvSpec.conv2d(192, 24, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1);
    ConvSpec borderSpec = ConvSpec.conv2d(180, 24, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Epilogue e24 = Epilogue.NONE.withBias(new float[24]).withResidual(true).withActivation(Activation.RELU6);
    ConvPlan c1 = ConvPlan.create(patchSpec, EpilogueCases.random(rnd, patchSpec.weightSize()), 0, e24,
        Layout.NCHWC16);
    ConvPlan c2 = ConvPlan.create(borderSpec, EpilogueCases.random(rnd, borderSpec.weightSize()), 0, e24,
        Layout.NCHWC16);
    assertTrue(c1.reductionPart() > 0 && c2.reductionPart() > 0);
    float[] cx = EpilogueCases.random(rnd, Math.max(c1.inputSize(), c2.inputSize()));
    float[] cy = new float[Math.max(c1.outputSize(), c2.outputSize())];
    float[] wx = EpilogueCases.random(rnd, Math.max(w1.inputSize(), w2.inputSize()));
    float[] wy = new float[Math.max(w1.outputSize(), w2.outputSize())];
    float[] x = EpilogueCases.random(rnd, p1.inputSize());
    float[] y = new float[p1.outputSize()];
    float[] r = new float[p1.outputSize()];
    float[] z = new float[p2.outputSize()];
    float[] a = EpilogueCases.random(rnd, 50 * 70);
    float[] b = EpilogueCases.random(rnd, 70 * 33);
    float[] c = new float[50 * 33];
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (WorkerPool pool = new WorkerPool(2); Executor ex = pool.newExecutor()) {
      for (Executor exec : new Executor[] {Executor.serial(), ex}) {
        Runnable call = () -> {
          p1.run(1, x, 0, y, 0, r, 0, exec);
          p2.run(1, y, 0, z, 0, y, 0, exec);
          g.run(1, 50, a, 0, b, 0, c, 0, null, 0, exec);
          w1.run(1, wx, 0, wy, 0, null, 0, exec);
          w2.run(1, wx, 0, wy, 0, wy, 0, exec);
          c1.run(1, cx, 0, cy, 0, cy, 0, exec);
          c2.run(1, cx, 0, cy, 0, cy, 0, exec);
        };
        for (int i = 0; i < 3000; i++) {
          call.run();
        }
        // A window may see a few bytes from a deoptimisation (vectors boxed while a frame runs
        // interpreted) that no later call repeats; an allocation per call shows in every window.
        long tid = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 5 && least > 0; window++) {
          long before = mx.getThreadAllocatedBytes(tid);
          for (int i = 0; i < 200; i++) {
            call.run();
          }
          least = Math.min(least, mx.getThreadAllocatedBytes(tid) - before);
        }
        assertEquals(0, least, "bytes allocated by 200 calls, least over 5 windows");
      }
    }
  }
}
