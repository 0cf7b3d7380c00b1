package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.TensorType;
import java.util.List;

/**
 * A network compiled for CUDA: the CUDA C++ source of its kernels (one {@code __global__} function per fused plan
 * step) and the launch lists that run them, as data that a host (the generated Java class through the driver API,
 * or the CPU simulation's runner) executes without knowing the network.
 *
 * <p>Memory, in floats: the weights ({@code weightFloats}: every parameter tensor at its {@link Weight#offset},
 * then tensors the {@code prepare} launches derive from them once at load, such as folded batchnorm scales), and per
 * session one arena of {@code batchedArena × batch + fixedArena} floats plus the model's inputs and outputs.
 */
public record CudaProgram(String name, String source, List<Launch> prepare, List<Launch> forward,
    List<Weight> weights, long weightFloats, long batchedArena, long fixedArena, List<Io> inputs, List<Io> outputs,
    List<String> kernels, List<TokenCheck> tokenChecks) {
  public CudaProgram {
    tokenChecks = List.copyOf(tokenChecks);
    prepare = List.copyOf(prepare);
    forward = List.copyOf(forward);
    weights = List.copyOf(weights);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    kernels = List.copyOf(kernels);
  }

  /** A parameter tensor read by name from safetensors into the weights at {@code offset} floats. */
  public record Weight(String name, int[] shape, long offset) {
    public long elements() {
      long n = 1;
      for (int d : shape) n *= d;
      return n;
    }
  }

  /**
   * Model input {@code input} holds token ids of the embedding {@code layer} (a table of {@code num} rows,
   * {@code perItem} ids per item): the host checks them before each forward, as a kernel cannot raise the error.
   */
  public record TokenCheck(int input, int num, int perItem, String layer) {}

  /** A model input or output: its name and type (batched ones per item). */
  public record Io(String name, TensorType type) {
    public long floats(int batch) { return type.elements(batch); }
  }

  /** Which allocation a pointer argument points into. */
  public enum Region { ARENA, INPUT, OUTPUT, WEIGHTS }

  /**
   * A pointer argument: {@code perItem × batch + fixed} floats into {@code region} (the input or output number
   * {@code index} for those regions).
   */
  public record Ptr(Region region, int index, long perItem, long fixed) {
    public long floats(int batch) { return perItem * batch + fixed; }
  }

  /**
   * One kernel launch: {@code kernel(int batch, float* args...)} on a grid of
   * {@code ceil((work + workPerItem × batch) / perBlock) × gridY × gridZ} blocks of {@code threads} threads.
   * {@code barrier}: the kernel synchronizes its block ({@code __syncthreads}).
   */
  public record Launch(String kernel, long work, long workPerItem, int perBlock, int gridY, int gridZ, int threads,
      boolean barrier, List<Ptr> args, String comment) {
    public Launch { args = List.copyOf(args); }

    public long gridX(int batch) { return Math.max(1, Math.ceilDiv(work + workPerItem * batch, perBlock)); }
  }
}
