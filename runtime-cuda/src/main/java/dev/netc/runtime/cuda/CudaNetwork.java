package dev.netc.runtime.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.netc.runtime.InputException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A network on the GPU, as classes generated with {@code --target cuda} hold it: its PTX module loaded, its
 * kernels looked up, its weights uploaded once (then the load-time kernels derive the folded batchnorms), and the
 * launch list that runs it. Immutable and shared by threads; each thread runs it through its own {@link Session}.
 *
 * <p>A pointer argument is four longs in {@link Launch#args}: region (0 arena, 1 input, 2 output, 3 weights),
 * index (of the input or output), floats per batch item, and fixed floats: it points
 * {@code perItem × batch + fixed} floats into that region.
 */
public final class CudaNetwork {
  /** One kernel launch; see the class comment for {@code args}. */
  public record Launch(String kernel, long work, long workPerItem, int perBlock, int gridY, int gridZ, int threads,
      long... args) {
    long gridX(int batch) { return Math.max(1, Math.ceilDiv(work + workPerItem * batch, perBlock)); }

    /**
     * Launches from a table, one per line: {@code kernel work workPerItem perBlock gridY gridZ threads}, then per
     * pointer {@code region,index,perItem,fixed}, then an optional {@code # comment}.
     */
    public static List<Launch> parse(String table) {
      List<Launch> out = new ArrayList<>();
      for (String line : table.split("\n")) {
        int hash = line.indexOf(" #");
        String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split(" +");
        if (f.length < 7) continue;
        long[] args = new long[4 * (f.length - 7)];
        for (int i = 7; i < f.length; i++) {
          String[] p = f[i].split(",");
          for (int j = 0; j < 4; j++) args[4 * (i - 7) + j] = Long.parseLong(p[j]);
        }
        out.add(new Launch(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3]),
            Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), args));
      }
      return out;
    }
  }

  private final CudaDriver cuda;
  private final MemorySegment context;
  private final List<Launch> forward;
  private final MemorySegment[] functions;
  private final long weights;
  private final long batchedArena;
  private final long fixedArena;
  private final long[] inputs;
  private final long[] outputs;

  /**
   * Loads {@code ptx} on device 0, uploads {@code hostWeights} and runs the {@code prepare} launches on them.
   * {@code inputs} and {@code outputs}: floats per batch item and fixed floats, two longs each.
   */
  public CudaNetwork(String ptx, float[] hostWeights, List<Launch> prepare, List<Launch> forward, long batchedArena,
      long fixedArena, long[] inputs, long[] outputs) {
    this.cuda = CudaDriver.get();
    this.context = cuda.primaryContext(0);
    this.forward = List.copyOf(forward);
    this.batchedArena = batchedArena;
    this.fixedArena = fixedArena;
    this.inputs = inputs.clone();
    this.outputs = outputs.clone();
    MemorySegment module = cuda.loadModule(ptx);
    this.functions = new MemorySegment[forward.size()];
    for (int i = 0; i < forward.size(); i++) functions[i] = cuda.function(module, forward.get(i).kernel());
    long bytes = (long) hostWeights.length * 4;
    this.weights = cuda.malloc(bytes);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment host = a.allocate(Math.max(bytes, 4));
      MemorySegment.copy(hostWeights, 0, host, JAVA_FLOAT, 0, hostWeights.length);
      cuda.copyToDevice(weights, host, bytes);
      MemorySegment stream = cuda.newStream();
      for (Launch l : prepare) {
        MemorySegment params = params(a, l, 1, new long[4]);
        cuda.launch(cuda.function(module, l.kernel()), l.gridX(1), l.gridY(), l.gridZ(), l.threads(), stream, params,
            l.kernel());
      }
      cuda.synchronize(stream);
      cuda.destroyStream(stream);
    }
  }

  /**
   * Checks token ids on the host before they go to an embedding on the GPU (a kernel cannot raise the error): an
   * id that is not an integer in {@code [0, num)} (a fraction, NaN, an infinity, out of range) throws
   * {@link InputException} naming {@code layer}, the id, its item and position ({@code perItem} ids per item), with
   * the message the CPU class gives.
   */
  public static void checkTokenIds(float[] ids, int num, int perItem, String layer) {
    for (int i = 0; i < ids.length; i++) {
      float value = ids[i];
      int id = (int) value;
      if (id != value || id < 0 || id >= num) {
        throw new InputException(layer + ": token id " + value + " (item " + i / perItem + ", position "
            + i % perItem + ") is not an integer in [0, " + num + ")");
      }
    }
  }

  /** The GPU's name. */
  public String device() { return cuda.deviceName(0); }

  /**
   * Whether sessions replay their launches as a CUDA Graph: the system property {@value #GRAPHS} ({@code true} or
   * {@code false}; off unless set, as graph replay has not been timed on a GPU yet), and a driver that has graphs.
   */
  public static final String GRAPHS = "netc.cuda.graphs";

  /** A session for {@code batch} items; CUDA Graph replay as {@link #GRAPHS} says. */
  public Session newSession(int batch) {
    return newSession(batch, Boolean.getBoolean(GRAPHS));
  }

  /**
   * A session for {@code batch} items. {@code graphs}: its first forward records the kernel launches into a CUDA
   * Graph (stream capture), and every forward replays them with one {@code cuGraphLaunch} instead of one
   * {@code cuLaunchKernel} per step, which matters where launches, not kernels, dominate (batch 1); ignored when
   * the driver has no graphs.
   */
  public Session newSession(int batch, boolean graphs) {
    if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    return new Session(batch, graphs && cuda.graphsSupported());
  }

  /** The kernel parameter block of a launch: {@code batch}, then each pointer, and the array pointing at them. */
  private MemorySegment params(Arena a, Launch l, int batch, long[] bases) {
    int n = l.args().length / 4;
    MemorySegment values = a.allocate(8L * (n + 1), 8);
    MemorySegment array = a.allocate(ADDRESS.byteSize() * (n + 1), 8);
    values.set(JAVA_INT, 0, batch);
    array.setAtIndex(ADDRESS, 0, values);
    for (int i = 0; i < n; i++) {
      long[] g = l.args();
      int region = (int) g[4 * i];
      long base = region == 3 ? weights : region == 0 ? bases[0] : region == 1 ? bases[1 + (int) g[4 * i + 1]]
          : bases[1 + inputs.length / 2 + (int) g[4 * i + 1]];
      long ptr = base + 4 * (g[4 * i + 2] * batch + g[4 * i + 3]);
      values.set(JAVA_LONG, 8L * (i + 1), ptr);
      array.setAtIndex(ADDRESS, i + 1, values.asSlice(8L * (i + 1)));
    }
    return array;
  }

  /**
   * One thread's state for batch {@code batch}: one device allocation (arena, inputs, outputs), page-locked host
   * buffers for the copies, its own stream, and every launch's parameters built once; {@link #run} allocates nothing.
   * Not for concurrent use; sessions on different threads run concurrently on their streams.
   */
  public final class Session implements AutoCloseable {
    private final int batch;
    private final Arena arena = Arena.ofShared();
    private final long device;
    private final long[] bases;
    private final MemorySegment stream;
    private final MemorySegment[] params;
    private final MemorySegment staging;
    private final long[] stagingAt;
    private final boolean graphs;
    /** The recorded launches and their executable instance, made by the first forward when {@link #graphs}. */
    private MemorySegment graph;
    private MemorySegment graphExec;
    private boolean closed;

    private Session(int batch, boolean graphs) {
      this.batch = batch;
      this.graphs = graphs;
      int ni = inputs.length / 2, no = outputs.length / 2;
      long[] floats = new long[1 + ni + no];
      floats[0] = batchedArena * batch + fixedArena;
      for (int i = 0; i < ni; i++) floats[1 + i] = inputs[2 * i] * batch + inputs[2 * i + 1];
      for (int i = 0; i < no; i++) floats[1 + ni + i] = outputs[2 * i] * batch + outputs[2 * i + 1];
      bases = new long[floats.length];
      long total = 0;
      for (int i = 0; i < floats.length; i++) {
        bases[i] = total;
        total += Math.ceilDiv(floats[i], 64) * 64 * 4;
      }
      cuda.setCurrent(context);
      device = cuda.malloc(total);
      for (int i = 0; i < bases.length; i++) bases[i] += device;
      stream = cuda.newStream();
      stagingAt = new long[floats.length];
      long host = 0;
      for (int i = 1; i < floats.length; i++) {
        stagingAt[i] = host;
        host += floats[i] * 4;
      }
      staging = cuda.mallocHost(host);
      params = new MemorySegment[forward.size()];
      for (int i = 0; i < forward.size(); i++) params[i] = CudaNetwork.this.params(arena, forward.get(i), batch, bases);
    }

    public int batch() { return batch; }

    /** Whether this session replays its launches as a CUDA Graph. */
    public boolean graphs() { return graphs; }

    /** Queues every forward kernel on the stream: one by one, or as the recorded graph. */
    private void launches() {
      if (!graphs) {
        launchEach();
        return;
      }
      if (graphExec == null) {
        cuda.beginCapture(stream);
        try {
          launchEach();
        } catch (RuntimeException e) {
          try {
            cuda.destroyGraph(cuda.endCapture(stream), null);
          } catch (RuntimeException again) {
            e.addSuppressed(again);
          }
          throw e;
        }
        graph = cuda.endCapture(stream);
        try {
          graphExec = cuda.instantiate(graph);
        } catch (RuntimeException e) {
          cuda.destroyGraph(graph, null);
          graph = null;
          throw e;
        }
      }
      cuda.launchGraph(graphExec, stream);
    }

    private void launchEach() {
      for (int i = 0; i < forward.size(); i++) {
        Launch l = forward.get(i);
        cuda.launch(functions[i], l.gridX(batch), l.gridY(), l.gridZ(), l.threads(), stream, params[i], l.kernel());
      }
    }

    /**
     * Copies the inputs in, runs every kernel, copies the outputs out (arrays batch first, sized exactly for
     * {@link #batch()} items). Unlike a CPU session, which runs any batch up to its own, a CUDA session runs exactly
     * the batch it was opened for: an array of another length is an {@link InputException}.
     */
    public void run(float[][] in, float[][] out) {
      if (closed) throw new IllegalStateException("the session is closed");
      requireSizes("input", in, inputs);
      requireSizes("output", out, outputs);
      cuda.setCurrent(context);
      int ni = inputs.length / 2;
      for (int i = 0; i < in.length; i++) {
        MemorySegment.copy(in[i], 0, staging, JAVA_FLOAT, stagingAt[1 + i], in[i].length);
        cuda.copyToDeviceAsync(bases[1 + i], staging.asSlice(stagingAt[1 + i]), in[i].length * 4L, stream);
      }
      launches();
      for (int i = 0; i < out.length; i++) {
        cuda.copyToHostAsync(staging.asSlice(stagingAt[1 + ni + i]), bases[1 + ni + i], out[i].length * 4L, stream);
      }
      cuda.synchronize(stream);
      for (int i = 0; i < out.length; i++) {
        MemorySegment.copy(staging, JAVA_FLOAT, stagingAt[1 + ni + i], out[i], 0, out[i].length);
      }
    }

    /** Each array's length against {@code sizes} (floats per item and fixed floats, two longs each). */
    private void requireSizes(String what, float[][] arrays, long[] sizes) {
      if (arrays.length != sizes.length / 2) {
        throw new InputException(arrays.length + " " + what + " arrays, expected " + sizes.length / 2);
      }
      for (int i = 0; i < arrays.length; i++) {
        long want = sizes[2 * i] * batch + sizes[2 * i + 1];
        if (arrays[i].length != want) {
          throw new InputException(what + " " + i + ": expected " + want + " floats"
              + (sizes[2 * i] == 0 ? "" : " (" + batch + " items of " + sizes[2 * i] + "; a CUDA session runs exactly "
              + "the batch it was opened for)") + ", got " + arrays[i].length);
        }
      }
    }

    /** Runs the kernels only, on what the device holds (for timing): no copies, waits for the stream. */
    public void runKernelsOnly() {
      cuda.setCurrent(context);
      launches();
      cuda.synchronize(stream);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      cuda.setCurrent(context);
      if (graph != null) cuda.destroyGraph(graph, graphExec);
      cuda.destroyStream(stream);
      cuda.free(device);
      cuda.freeHost(staging);
      arena.close();
    }
  }

  /** The launch list's kernels, in order (for profiles and tests). */
  public List<String> kernels() {
    List<String> k = new ArrayList<>();
    for (Launch l : forward) k.add(l.kernel());
    return k;
  }
}
