package dev.netc.runtime.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * The CUDA driver API ({@code libcuda}), the calls netc needs, through {@code java.lang.foreign}: no JNI, no
 * native build; the driver JIT-compiles the PTX it is given for the GPU it finds. {@link #get()} opens the library
 * and initializes the driver once, or throws {@link CudaUnavailableException} with one line saying why. Every
 * call checks its result ({@link CudaException}). Device pointers are {@code long}s ({@code CUdeviceptr}); handles
 * (context, module, function, stream) are memory segments.
 */
public final class CudaDriver {
  private static final Linker LINKER = Linker.nativeLinker();
  private static volatile CudaDriver instance;
  private static volatile CudaUnavailableException failure;

  private final SymbolLookup lib;
  private final MethodHandle cuInit, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName, cuDeviceGetAttribute,
      cuDevicePrimaryCtxRetain, cuCtxSetCurrent, cuModuleLoadData, cuModuleGetFunction, cuMemAlloc, cuMemFree,
      cuMemcpyHtoD, cuMemcpyDtoH, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuStreamCreate, cuStreamDestroy,
      cuStreamSynchronize, cuLaunchKernel, cuGetErrorName, cuMemAllocHost, cuMemFreeHost;
  /** CUDA Graphs (driver API of CUDA 11.4 and later); null when this driver lacks any of them. */
  private final MethodHandle cuStreamBeginCapture, cuStreamEndCapture, cuGraphInstantiate, cuGraphLaunch,
      cuGraphExecDestroy, cuGraphDestroy;

  private CudaDriver(SymbolLookup lib) {
    this.lib = lib;
    cuInit = fn("cuInit", JAVA_INT);
    cuDeviceGetCount = fn("cuDeviceGetCount", ADDRESS);
    cuDeviceGet = fn("cuDeviceGet", ADDRESS, JAVA_INT);
    cuDeviceGetName = fn("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
    cuDeviceGetAttribute = fn("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
    cuDevicePrimaryCtxRetain = fn("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
    cuCtxSetCurrent = fn("cuCtxSetCurrent", ADDRESS);
    cuModuleLoadData = fn("cuModuleLoadData", ADDRESS, ADDRESS);
    cuModuleGetFunction = fn("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
    cuMemAlloc = fn("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
    cuMemFree = fn("cuMemFree_v2", JAVA_LONG);
    cuMemAllocHost = fn("cuMemAllocHost_v2", ADDRESS, JAVA_LONG);
    cuMemFreeHost = fn("cuMemFreeHost", ADDRESS);
    cuMemcpyHtoD = fn("cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
    cuMemcpyDtoH = fn("cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
    cuMemcpyHtoDAsync = fn("cuMemcpyHtoDAsync_v2", JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
    cuMemcpyDtoHAsync = fn("cuMemcpyDtoHAsync_v2", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS);
    cuStreamCreate = fn("cuStreamCreate", ADDRESS, JAVA_INT);
    cuStreamDestroy = fn("cuStreamDestroy_v2", ADDRESS);
    cuStreamSynchronize = fn("cuStreamSynchronize", ADDRESS);
    cuLaunchKernel = fn("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
        JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    cuGetErrorName = fn("cuGetErrorName", JAVA_INT, ADDRESS);
    boolean graphs = Stream.of("cuStreamBeginCapture_v2", "cuStreamEndCapture", "cuGraphInstantiateWithFlags",
        "cuGraphLaunch", "cuGraphExecDestroy", "cuGraphDestroy").allMatch(n -> lib.find(n).isPresent());
    cuStreamBeginCapture = graphs ? fn("cuStreamBeginCapture_v2", ADDRESS, JAVA_INT) : null;
    cuStreamEndCapture = graphs ? fn("cuStreamEndCapture", ADDRESS, ADDRESS) : null;
    cuGraphInstantiate = graphs ? fn("cuGraphInstantiateWithFlags", ADDRESS, ADDRESS, JAVA_LONG) : null;
    cuGraphLaunch = graphs ? fn("cuGraphLaunch", ADDRESS, ADDRESS) : null;
    cuGraphExecDestroy = graphs ? fn("cuGraphExecDestroy", ADDRESS) : null;
    cuGraphDestroy = graphs ? fn("cuGraphDestroy", ADDRESS) : null;
  }

  /** The driver, opened and initialized once; {@link CudaUnavailableException} when this machine has no CUDA. */
  public static CudaDriver get() {
    CudaDriver d = instance;
    if (d != null) return d;
    synchronized (CudaDriver.class) {
      if (instance != null) return instance;
      if (failure != null) throw failure;
      try {
        instance = open();
        return instance;
      } catch (CudaUnavailableException e) {
        failure = e;
        throw e;
      }
    }
  }

  private static CudaDriver open() {
    SymbolLookup lib = null;
    for (String name : new String[] {"libcuda.so.1", "libcuda.so", "nvcuda.dll"}) {
      try {
        lib = SymbolLookup.libraryLookup(name, Arena.global());
        break;
      } catch (IllegalArgumentException notHere) {
        // try the next name
      }
    }
    if (lib == null) {
      throw new CudaUnavailableException("no CUDA driver on this machine: libcuda was not found (install the NVIDIA "
          + "driver, or run on the CPU without --device cuda)");
    }
    CudaDriver d;
    try {
      d = new CudaDriver(lib);
    } catch (IllegalStateException e) {
      throw new CudaUnavailableException("the CUDA driver library is incomplete: " + e.getMessage());
    }
    int rc = d.call("cuInit", d.cuInit, 0);
    if (rc != 0) {
      throw new CudaUnavailableException("the CUDA driver found no usable GPU (cuInit: CUDA error " + rc + " "
          + d.errorName(rc) + ")");
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment n = a.allocate(JAVA_INT);
      d.check("cuDeviceGetCount", d.call("cuDeviceGetCount", d.cuDeviceGetCount, n));
      if (n.get(JAVA_INT, 0) == 0) throw new CudaUnavailableException("the CUDA driver found no GPU");
    }
    return d;
  }

  private MethodHandle fn(String name, java.lang.foreign.MemoryLayout... args) {
    MemorySegment sym = lib.find(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
    return LINKER.downcallHandle(sym, FunctionDescriptor.of(JAVA_INT, args));
  }

  private int call(String name, MethodHandle h, Object... args) {
    try {
      return (int) h.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(name + ": " + t, t);
    }
  }

  private void check(String name, int rc) {
    if (rc != 0) throw new CudaException(name, rc, errorName(rc));
  }

  private void invoke(String name, MethodHandle h, Object... args) { check(name, call(name, h, args)); }

  private String errorName(int rc) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(ADDRESS);
      if (call("cuGetErrorName", cuGetErrorName, rc, p) != 0) return null;
      MemorySegment s = p.get(ADDRESS, 0);
      return s.equals(MemorySegment.NULL) ? null : s.reinterpret(256).getString(0, StandardCharsets.US_ASCII);
    }
  }

  /** The primary context of device {@code ordinal}, made current on this thread. */
  public MemorySegment primaryContext(int ordinal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment dev = a.allocate(JAVA_INT);
      invoke("cuDeviceGet", cuDeviceGet, dev, ordinal);
      MemorySegment ctx = a.allocate(ADDRESS);
      invoke("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain, ctx, dev.get(JAVA_INT, 0));
      MemorySegment c = ctx.get(ADDRESS, 0);
      setCurrent(c);
      return c;
    }
  }

  /** The device's name, as the driver reports it. */
  public String deviceName(int ordinal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment dev = a.allocate(JAVA_INT);
      invoke("cuDeviceGet", cuDeviceGet, dev, ordinal);
      MemorySegment name = a.allocate(256);
      invoke("cuDeviceGetName", cuDeviceGetName, name, 256, dev.get(JAVA_INT, 0));
      return name.getString(0, StandardCharsets.US_ASCII);
    }
  }

  /** A device attribute ({@code CU_DEVICE_ATTRIBUTE_*} number). */
  public int attribute(int attribute, int ordinal) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment dev = a.allocate(JAVA_INT);
      invoke("cuDeviceGet", cuDeviceGet, dev, ordinal);
      MemorySegment v = a.allocate(JAVA_INT);
      invoke("cuDeviceGetAttribute", cuDeviceGetAttribute, v, attribute, dev.get(JAVA_INT, 0));
      return v.get(JAVA_INT, 0);
    }
  }

  public void setCurrent(MemorySegment context) { invoke("cuCtxSetCurrent", cuCtxSetCurrent, context); }

  /** Loads PTX text (the driver JIT-compiles it for this GPU). */
  public MemorySegment loadModule(String ptx) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment image = a.allocateFrom(ptx, StandardCharsets.US_ASCII);
      MemorySegment mod = a.allocate(ADDRESS);
      invoke("cuModuleLoadData", cuModuleLoadData, mod, image);
      return mod.get(ADDRESS, 0);
    }
  }

  public MemorySegment function(MemorySegment module, String name) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment f = a.allocate(ADDRESS);
      invoke("cuModuleGetFunction " + name, cuModuleGetFunction, f, module, a.allocateFrom(name));
      return f.get(ADDRESS, 0);
    }
  }

  /** {@code bytes} of device memory. */
  public long malloc(long bytes) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(JAVA_LONG);
      invoke("cuMemAlloc(" + bytes + " bytes)", cuMemAlloc, p, Math.max(bytes, 4));
      return p.get(JAVA_LONG, 0);
    }
  }

  public void free(long devicePtr) { invoke("cuMemFree", cuMemFree, devicePtr); }

  /** Page-locked host memory, which the copies run from at full speed and asynchronously. */
  public MemorySegment mallocHost(long bytes) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment p = a.allocate(ADDRESS);
      invoke("cuMemAllocHost(" + bytes + " bytes)", cuMemAllocHost, p, Math.max(bytes, 4));
      return p.get(ADDRESS, 0).reinterpret(Math.max(bytes, 4));
    }
  }

  public void freeHost(MemorySegment p) { invoke("cuMemFreeHost", cuMemFreeHost, p); }

  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    invoke("cuMemcpyHtoD", cuMemcpyHtoD, dst, src, bytes);
  }

  public void copyToHost(MemorySegment dst, long src, long bytes) {
    invoke("cuMemcpyDtoH", cuMemcpyDtoH, dst, src, bytes);
  }

  public void copyToDeviceAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
    invoke("cuMemcpyHtoDAsync", cuMemcpyHtoDAsync, dst, src, bytes, stream);
  }

  public void copyToHostAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
    invoke("cuMemcpyDtoHAsync", cuMemcpyDtoHAsync, dst, src, bytes, stream);
  }

  /** A non-blocking stream (it does not wait on the legacy default stream). */
  public MemorySegment newStream() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(ADDRESS);
      invoke("cuStreamCreate", cuStreamCreate, s, 1);
      return s.get(ADDRESS, 0);
    }
  }

  public void destroyStream(MemorySegment stream) { invoke("cuStreamDestroy", cuStreamDestroy, stream); }

  public void synchronize(MemorySegment stream) { invoke("cuStreamSynchronize", cuStreamSynchronize, stream); }

  /** Whether this driver has the CUDA Graph calls ({@link #beginCapture} and the rest; CUDA 11.4 and later). */
  public boolean graphsSupported() { return cuGraphLaunch != null; }

  /**
   * Starts recording the work queued on {@code stream} into a graph instead of running it, in thread-local mode
   * ({@code CU_STREAM_CAPTURE_MODE_THREAD_LOCAL}: other threads' sessions are not affected).
   */
  public void beginCapture(MemorySegment stream) {
    invoke("cuStreamBeginCapture", cuStreamBeginCapture, stream, 1);
  }

  /** Ends the recording begun on {@code stream}: the graph of what was queued. */
  public MemorySegment endCapture(MemorySegment stream) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment g = a.allocate(ADDRESS);
      invoke("cuStreamEndCapture", cuStreamEndCapture, stream, g);
      return g.get(ADDRESS, 0);
    }
  }

  /** An executable instance of {@code graph}, launched as a whole by {@link #launchGraph}. */
  public MemorySegment instantiate(MemorySegment graph) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = a.allocate(ADDRESS);
      invoke("cuGraphInstantiateWithFlags", cuGraphInstantiate, e, graph, 0L);
      return e.get(ADDRESS, 0);
    }
  }

  /** Queues every kernel of an instantiated graph on {@code stream} with one call. */
  public void launchGraph(MemorySegment exec, MemorySegment stream) {
    invoke("cuGraphLaunch", cuGraphLaunch, exec, stream);
  }

  public void destroyGraph(MemorySegment graph, MemorySegment exec) {
    if (exec != null) invoke("cuGraphExecDestroy", cuGraphExecDestroy, exec);
    if (graph != null) invoke("cuGraphDestroy", cuGraphDestroy, graph);
  }

  /** Launches {@code f} with {@code params}: an array of pointers to each argument's value. */
  public void launch(MemorySegment f, long gx, int gy, int gz, int threads, MemorySegment stream,
      MemorySegment params, String name) {
    invoke("cuLaunchKernel " + name, cuLaunchKernel, f, Math.toIntExact(gx), gy, gz, threads, 1, 1, 0, stream, params,
        MemorySegment.NULL);
  }
}
