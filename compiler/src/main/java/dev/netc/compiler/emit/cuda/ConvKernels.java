package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.emit.cuda.CudaProgram.Ptr;
import dev.netc.compiler.ir.Conv;
import dev.netc.compiler.ir.ConvTranspose;
import dev.netc.compiler.ir.Fused;
import dev.netc.compiler.ir.Linear;
import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.Param;
import dev.netc.compiler.ir.TensorType;
import dev.netc.compiler.plan.Plan.Step;
import java.util.List;

/**
 * Convolutions, linear layers and matrix products with their fused epilogue (bias, folded batchnorm, residual
 * add, activation, in that order, as {@link Fused} defines it).
 *
 * <p>Convolutions with at least 8 output channels per group and linear layers run as an implicit GEMM per group:
 * rows are the group's output channels ({@code M}), columns the output positions of all images ({@code N}), and
 * the reduction runs over input channels × kernel taps ({@code K}); the input patch matrix is never built, each
 * block gathers its {@code BK × BN} tile of it into shared memory (zero outside the padded input) beside the
 * {@code BK × BM} tile of weights, and each thread accumulates a {@code 4 × 4} register tile. Tile sizes are
 * chosen per layer from {@code M} and the output size. Depthwise and other narrow-group convolutions, and
 * transposed convolutions, run one thread per output element.
 */
final class ConvKernels {
  private ConvKernels() {}

  /** Geometry padded to three spatial dims (depth, height, width); missing leading dims have size 1. */
  private record Geo(int[] in, int[] out, int[] k, int[] s, int[] p, int[] d) {
    static Geo of(TensorType x, TensorType y, List<Integer> k, List<Integer> s, List<Integer> p, List<Integer> d) {
      return new Geo(pad(x.shape().drop(1).toArray(), 1), pad(y.shape().drop(1).toArray(), 1), pad(ints(k), 1),
          pad(ints(s), 1), pad(ints(p), 0), pad(ints(d), 1));
    }

    int outSize() { return out[0] * out[1] * out[2]; }

    int taps() { return k[0] * k[1] * k[2]; }

    private static int[] ints(List<Integer> v) { return v.stream().mapToInt(Integer::intValue).toArray(); }

    private static int[] pad(int[] v, int fill) {
      int[] r = {fill, fill, fill};
      System.arraycopy(v, 0, r, 3 - v.length, v.length);
      return r;
    }
  }

  /** The epilogue's parameters: per-channel scale and shift (a folded batchnorm), or a bias; none is fine too. */
  private record Epilogue(Fused f, Ptr scale, Ptr shift, Ptr bias) {}

  static void layer(CudaEmitter e, Step s, Node n, Fused f) {
    Param weight = param(n, "weight");
    Param bias = hasBias(f) ? param(n, "bias") : null;
    int channels = n.type().rank() == 0 ? 1 : f.main() instanceof Linear l ? l.out() : n.type().dim(0);
    Epilogue ep;
    if (f.norm() != null) {
      int own = f.main().params(List.of(e.plan.buffer(s.inputs().getFirst()).type())).size();
      Ptr[] ss = e.foldNorm(s, f.norm(), n.params().subList(own, n.params().size()), bias, channels);
      ep = new Epilogue(f, ss[0], ss[1], null);
    } else {
      ep = new Epilogue(f, null, null, bias == null ? null : e.weight(bias));
    }
    switch (f.main()) {
      case Conv c -> {
        int cin = e.plan.buffer(s.inputs().getFirst()).type().dim(0);
        int m = c.out() / c.groups();
        if (cin / c.groups() == 1 || m < 8) directConv(e, s, n, c, weight, ep);
        else implicitGemm(e, s, n, c, weight, ep);
      }
      case ConvTranspose t -> transposed(e, s, n, t, weight, ep);
      case Linear l -> linear(e, s, n, l, weight, ep);
      default -> throw CudaEmitter.unsupported(n, "");
    }
  }

  private static Param param(Node n, String rel) {
    for (Param p : n.params()) if (p.spec().name().equals(rel)) return p;
    throw new IllegalStateException(n.path() + " has no parameter " + rel);
  }

  private static boolean hasBias(Fused f) {
    return switch (f.main()) {
      case Conv c -> c.bias();
      case ConvTranspose t -> t.bias();
      case Linear l -> l.bias();
      default -> false;
    };
  }

  /** Tile sizes {BM, BN, BK} for a GEMM of {@code m} rows and {@code cols} columns per image. */
  private static int[] tiles(int m, long cols, int k) {
    int bm = m >= 64 ? 64 : m >= 32 ? 32 : 16;
    int bn = cols >= 64 ? 64 : 32;
    int bk = k >= 16 && bm * bn >= 2048 ? 16 : 8;
    return new int[] {bm, bn, bk};
  }

  private static void implicitGemm(CudaEmitter e, Step s, Node n, Conv c, Param weight, Epilogue ep) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    Tensor res = ep.f().residual() ? e.tensor(k, "res", s.inputs().get(1), false) : null;
    k.param("w", e.weight(weight), false);
    epilogueParams(k, ep);
    Geo g = Geo.of(x.type(), y.type(), c.kernel(), c.stride(), c.padBegin(), c.dilation());
    int cinG = x.channels() / c.groups();
    int m = c.out() / c.groups();
    int kk = cinG * g.taps();
    int os = g.outSize();
    int[] t = tiles(m, os, kk);
    String load = """
        const int ci = k / %1$d, r = k %% %1$d;
        const int kd = r / %2$d, kh = r / %3$d %% %4$d, kw = r %% %3$d;
        const int img = n / %5$d, sp = n %% %5$d;
        const int od = sp / %6$d, oh = sp / %7$d %% %8$d, ow = sp %% %7$d;
        const int id = od * %9$d - %10$d + kd * %11$d;
        const int ih = oh * %12$d - %13$d + kh * %14$d;
        const int iw = ow * %15$d - %16$d + kw * %17$d;
        if (id >= 0 && id < %18$d && ih >= 0 && ih < %19$d && iw >= 0 && iw < %20$d) {
          v = %21$s;
        }""".formatted(g.taps(), g.k[1] * g.k[2], g.k[2], g.k[1], os, g.out[1] * g.out[2], g.out[2], g.out[1],
        g.s[0], g.p[0], g.d[0], g.s[1], g.p[1], g.d[1], g.s[2], g.p[2], g.d[2], g.in[0], g.in[1], g.in[2],
        x.at("img", "g * " + cinG + " + ci", "(id * " + g.in[1] + " + ih) * " + g.in[2] + " + iw"));
    String store = "const int co = g * " + m + " + m;\nconst int img = n / " + os + ", sp = n % " + os + ";\n"
        + epilogue(ep, "co", res == null ? null : res.at("img", "co", "sp"), y.at("img", "co", "sp"));
    gemm(k, t, m, kk, x.buffer().batched() ? "batch * " + os : String.valueOf(os),
        "w[(size_t)(g * " + m + " + m) * " + kk + " + k]", kk % 4 == 0, load, null, store);
    k.comment("  implicit GEMM per group: M = " + m + " output channels, N = batch x " + os + " positions, K = "
        + cinG + " x " + g.taps() + " taps; tiles " + t[0] + " x " + t[1] + " x " + t[2]);
    int threads = t[0] * t[1] / 16;
    e.add(k, threads, k.launch(x.buffer().batched() ? 0 : os, x.buffer().batched() ? os : 0, t[1],
        (int) Math.ceilDiv(m, t[0]), c.groups(), threads, true, s.comment()));
  }

  private static void linear(CudaEmitter e, Step s, Node n, Linear l, Param weight, Epilogue ep) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    Tensor res = ep.f().residual() ? e.tensor(k, "res", s.inputs().get(1), false) : null;
    k.param("w", e.weight(weight), false);
    epilogueParams(k, ep);
    int features = x.type().shape().last();
    long rows = x.elements() / features;
    int m = l.out();
    int[] t = tiles(m, rows, features);
    String load = "v = " + x.flat("n / " + rows, "(n % " + rows + ") * " + features + " + k") + ";";
    String out = "(n % " + rows + ") * " + m + " + co";
    String store = "const int co = m;\n"
        + epilogue(ep, "co", res == null ? null : res.flat("n / " + rows, out), y.flat("n / " + rows, out));
    boolean vec = features % 4 == 0;
    gemm(k, t, m, features, x.buffer().batched() ? "batch * " + rows : String.valueOf(rows),
        "w[(size_t)m * " + features + " + k]", vec, load,
        vec && aligned4(e, x) ? "&" + x.flat("n / " + rows, "(n % " + rows + ") * " + features + " + k") : null, store);
    k.comment("  GEMM: M = " + m + " features, N = batch x " + rows + " rows, K = " + features + "; tiles "
        + t[0] + " x " + t[1] + " x " + t[2]);
    int threads = t[0] * t[1] / 16;
    e.add(k, threads, k.launch(x.buffer().batched() ? 0 : rows, x.buffer().batched() ? rows : 0, t[1],
        (int) Math.ceilDiv(m, t[0]), 1, threads, true, s.comment()));
  }

  /** {@code a @ b} over the last two dims, one product per leading index; both operands are activations. */
  static void matmul(CudaEmitter e, Step s, Node n) {
    Kernel k = e.kernel(s, "");
    Tensor a = e.tensor(k, "a", s.inputs().get(0), false);
    Tensor b = e.tensor(k, "b", s.inputs().get(1), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int m = a.type().shape().at(-2);
    int kk = a.type().shape().last();
    int nc = b.type().shape().last();
    long count = a.elements() / ((long) m * kk);
    long perItem = count * m * nc;
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + total(y, perItem) + ") return;")
        .line("const int item = i / " + perItem + ", f = i % " + perItem + ";")
        .line("const int p = f / " + ((long) m * nc) + ", r = f / " + nc + " % " + m + ", col = f % " + nc + ";")
        .line("float acc = 0.f;")
        .line("for (int k = 0; k < " + kk + "; k++) {")
        .line("  acc += " + a.flat(b.buffer().batched() || a.buffer().batched() ? "item" : "0",
            "(p * " + m + " + r) * " + kk + " + k") + " * "
            + b.flat("item", "(p * " + kk + " + k) * " + nc + " + col") + ";")
        .line("}")
        .line(y.flat("item", "f") + " = acc;");
    e.add(k, CudaEmitter.THREADS, launch(k, y, perItem, s));
  }

  /** One thread per output element: depthwise and narrow-group convolutions. */
  private static void directConv(CudaEmitter e, Step s, Node n, Conv c, Param weight, Epilogue ep) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    Tensor res = ep.f().residual() ? e.tensor(k, "res", s.inputs().get(1), false) : null;
    k.param("w", e.weight(weight), false);
    epilogueParams(k, ep);
    Geo g = Geo.of(x.type(), y.type(), c.kernel(), c.stride(), c.padBegin(), c.dilation());
    int cinG = x.channels() / c.groups();
    int m = c.out() / c.groups();
    int os = g.outSize();
    long perItem = (long) c.out() * os;
    k.comment("  direct: one thread per output element, " + cinG + " input channel(s) x " + g.taps() + " taps each");
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int img = i / %d, co = i / %d %% %d, sp = i %% %d;
        const int od = sp / %d, oh = sp / %d %% %d, ow = sp %% %d;
        const int g = co / %d;
        float acc = 0.f;
        for (int ci = 0; ci < %d; ci++) {
          for (int kd = 0; kd < %d; kd++) {
            const int id = od * %d - %d + kd * %d;
            if (id < 0 || id >= %d) continue;
            for (int kh = 0; kh < %d; kh++) {
              const int ih = oh * %d - %d + kh * %d;
              if (ih < 0 || ih >= %d) continue;
              for (int kw = 0; kw < %d; kw++) {
                const int iw = ow * %d - %d + kw * %d;
                if (iw < 0 || iw >= %d) continue;
                acc += %s * w[(((co * %d + ci) * %d + kd) * %d + kh) * %d + kw];
              }
            }
          }
        }""".formatted(total(y, perItem), perItem, os, c.out(), os, g.out[1] * g.out[2], g.out[2], g.out[1],
        g.out[2], m, cinG, g.k[0], g.s[0], g.p[0], g.d[0], g.in[0], g.k[1], g.s[1], g.p[1], g.d[1], g.in[1], g.k[2],
        g.s[2], g.p[2], g.d[2], g.in[2],
        x.at("img", "g * " + cinG + " + ci", "(id * " + g.in[1] + " + ih) * " + g.in[2] + " + iw"),
        cinG, g.k[0], g.k[1], g.k[2]));
    k.lines(epilogue(ep, "co", res == null ? null : res.at("img", "co", "sp"), y.at("img", "co", "sp")));
    e.add(k, CudaEmitter.THREADS, launch(k, y, perItem, s));
  }

  /** Transposed convolution, one thread per output element gathering the inputs that scatter to it. */
  private static void transposed(CudaEmitter e, Step s, Node n, ConvTranspose c, Param weight, Epilogue ep) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    Tensor res = ep.f().residual() ? e.tensor(k, "res", s.inputs().get(1), false) : null;
    k.param("w", e.weight(weight), false);
    epilogueParams(k, ep);
    Geo g = Geo.of(x.type(), y.type(), c.kernel(), c.stride(), c.padBegin(), c.dilation());
    int cinG = x.channels() / c.groups();
    int m = c.out() / c.groups();
    int os = g.outSize();
    long perItem = (long) c.out() * os;
    k.comment("  transposed: one thread per output element, gathering " + cinG + " input channel(s) x " + g.taps()
        + " taps");
    StringBuilder loops = new StringBuilder();
    String[] ax = {"d", "h", "w"};
    for (int a = 0; a < 3; a++) {
      String ind = "  ".repeat(a + 1);
      loops.append(ind).append("for (int k").append(ax[a]).append(" = 0; k").append(ax[a]).append(" < ")
          .append(g.k[a]).append("; k").append(ax[a]).append("++) {\n")
          .append(ind).append("  const int t").append(ax[a]).append(" = o").append(ax[a]).append(" + ").append(g.p[a])
          .append(" - k").append(ax[a]).append(" * ").append(g.d[a]).append(";\n")
          .append(ind).append("  if (t").append(ax[a]).append(" < 0 || t").append(ax[a]).append(" % ").append(g.s[a])
          .append(" != 0 || t").append(ax[a]).append(" / ").append(g.s[a]).append(" >= ").append(g.in[a])
          .append(") continue;\n")
          .append(ind).append("  const int i").append(ax[a]).append(" = t").append(ax[a]).append(" / ")
          .append(g.s[a]).append(";\n");
    }
    loops.append("        acc += ").append(x.at("img", "g * " + cinG + " + ci", "(id * " + g.in[1] + " + ih) * "
        + g.in[2] + " + iw")).append(" * w[((((size_t)(g * ").append(cinG).append(" + ci) * ").append(m)
        .append(" + co % ").append(m).append(") * ").append(g.k[0]).append(" + kd) * ").append(g.k[1])
        .append(" + kh) * ").append(g.k[2]).append(" + kw];\n");
    for (int a = 2; a >= 0; a--) loops.append("  ".repeat(a + 1)).append("}\n");
    k.lines("""
        const int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= %s) return;
        const int img = i / %d, co = i / %d %% %d, sp = i %% %d;
        const int od = sp / %d, oh = sp / %d %% %d, ow = sp %% %d;
        const int g = co / %d;
        float acc = 0.f;
        for (int ci = 0; ci < %d; ci++) {
        %s}""".formatted(total(y, perItem), perItem, os, c.out(), os, g.out[1] * g.out[2], g.out[2], g.out[1],
        g.out[2], m, cinG, loops));
    k.lines(epilogue(ep, "co", res == null ? null : res.at("img", "co", "sp"), y.at("img", "co", "sp")));
    e.add(k, CudaEmitter.THREADS, launch(k, y, perItem, s));
  }

  private static void epilogueParams(Kernel k, Epilogue ep) {
    if (ep.scale() != null) {
      k.param("scale", ep.scale(), false);
      k.param("shift", ep.shift(), false);
    }
    if (ep.bias() != null) k.param("bias", ep.bias(), false);
  }

  /** The fused epilogue of the value {@code acc} of channel {@code co}, stored to {@code dst}. */
  private static String epilogue(Epilogue ep, String co, String res, String dst) {
    StringBuilder b = new StringBuilder("float v = acc;\n");
    if (ep.scale() != null) b.append("v = v * scale[").append(co).append("] + shift[").append(co).append("];\n");
    if (ep.bias() != null) b.append("v += bias[").append(co).append("];\n");
    if (res != null) b.append("v += ").append(res).append(";\n");
    if (ep.f().act() != null) b.append("v = ").append(CudaEmitter.act(ep.f().act(), "v")).append(";\n");
    return b.append(dst).append(" = v;").toString();
  }

  /**
   * The tiled GEMM body: {@code C[m][n] = Σ_k A[m][k] · B[k][n]} for the block's {@code BM × BN} tile of group
   * {@code blockIdx.z}; {@code loadA} reads A at (m, k), {@code loadB} sets {@code v} to B at (k, n), {@code store}
   * writes {@code acc} at (m, n) when both are in range. {@code vecA}: A's rows are 16-byte aligned runs of K
   * floats ({@code K % 4 == 0}, {@code loadA} an element of an aligned array), so its tile loads four k at a time
   * ({@code float4}); {@code addrB4}, when not null, the address of B at (k, n) where four consecutive k are
   * consecutive, aligned floats: B's tile loads them as one {@code float4}.
   */
  private static void gemm(Kernel k, int[] t, int m, int kk, String cols, String loadA, String loadB, String store) {
    gemm(k, t, m, kk, cols, loadA, false, loadB, null, store);
  }

  private static void gemm(Kernel k, int[] t, int m, int kk, String cols, String loadA, boolean vecA, String loadB,
      String addrB4, String store) {
    int bm = t[0], bn = t[1], bk = t[2];
    int threads = bm * bn / 16;
    int tx = bn / 4, ty = bm / 4;
    String tileA = vecA ? """
        for (int e = tid; e < %1$d; e += %2$d) {
          const int m = m0 + e / %3$d, k = k0 + e %% %3$d * 4;
          float4 a = make_float4(0.f, 0.f, 0.f, 0.f);
          if (m < M && k < K) a = netc_load4(&%4$s);
          As[k - k0][m - m0] = a.x;
          As[k - k0 + 1][m - m0] = a.y;
          As[k - k0 + 2][m - m0] = a.z;
          As[k - k0 + 3][m - m0] = a.w;
        }""".formatted(bm * bk / 4, threads, bk / 4, loadA) : """
        for (int e = tid; e < %d; e += %d) {
          const int m = m0 + e / %d, k = k0 + e %% %d;
          As[e %% %d][e / %d] = m < M && k < K ? %s : 0.f;
        }""".formatted(bm * bk, threads, bk, bk, bk, bk, loadA);
    String tileB = addrB4 != null ? """
        for (int e = tid; e < %1$d; e += %2$d) {
          const int k = k0 + e / %3$d * 4, n = n0 + e %% %3$d;
          float4 b = make_float4(0.f, 0.f, 0.f, 0.f);
          if (k < K && n < N) b = netc_load4(%4$s);
          Bs[k - k0][n - n0] = b.x;
          Bs[k - k0 + 1][n - n0] = b.y;
          Bs[k - k0 + 2][n - n0] = b.z;
          Bs[k - k0 + 3][n - n0] = b.w;
        }""".formatted(bk * bn / 4, threads, bn, addrB4) : """
        for (int e = tid; e < %d; e += %d) {
          const int k = k0 + e / %d, n = n0 + e %% %d;
          float v = 0.f;
          if (k < K && n < N) {
        %s
          }
          Bs[e / %d][e %% %d] = v;
        }""".formatted(bk * bn, threads, bn, bn, indent(loadB, 4), bn, bn);
    k.lines("""
        const int M = %d, N = %s, K = %d;
        __shared__ float As[%d][%d];
        __shared__ float Bs[%d][%d];
        const int tid = threadIdx.x, tx = tid %% %d, ty = tid / %d;
        const int g = blockIdx.z, m0 = blockIdx.y * %d, n0 = blockIdx.x * %d;
        (void) g;
        float c[4][4] = {};
        for (int k0 = 0; k0 < K; k0 += %d) {
        %s
        %s
          __syncthreads();
          for (int kk = 0; kk < %d; kk++) {
            float a[4], b[4];
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty + i * %d];
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + j * %d];
            for (int i = 0; i < 4; i++)
              for (int j = 0; j < 4; j++) c[i][j] += a[i] * b[j];
          }
          __syncthreads();
        }
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            const int m = m0 + ty + i * %d, n = n0 + tx + j * %d;
            if (m >= M || n >= N) continue;
            const float acc = c[i][j];
        %s
          }
        }""".formatted(m, cols, kk, bk, bm, bk, bn, tx, tx, bm, bn, bk, indent(tileA, 2), indent(tileB, 2), bk, ty, tx,
        ty, tx, indent(store, 6)));
  }

  /**
   * Whether {@code x}'s elements lie at 16-byte aligned places wherever its flat index is a multiple of 4: NCHW, and
   * its start (per item and fixed) and image stride are multiples of 4 floats. Every region a pointer points into
   * starts 256-byte aligned on the GPU (and 16-byte aligned in the simulation, which checks every {@code float4}).
   */
  static boolean aligned4(CudaEmitter e, Tensor x) {
    Ptr p = e.ptr(x.buffer());
    return !x.blocked() && p.perItem() % 4 == 0 && p.fixed() % 4 == 0 && x.imageStride() % 4 == 0;
  }

  private static String indent(String code, int spaces) {
    String pad = " ".repeat(spaces);
    return pad + code.replace("\n", "\n" + pad);
  }

  /**
   * A tiled GEMM kernel {@code C[m][n] = Σ_k A[m][k] · B[k][n]} over {@code rows} columns per item (all items' when
   * {@code batched}), added to the forward pass: {@code loadA} reads A at (m, k) (the weights), {@code loadB} sets
   * {@code v} to B at (k, n), {@code store} writes {@code acc} at (m, n). A's rows must be runs of {@code kk}
   * floats of a 16-byte aligned array (weights are): where {@code kk % 4 == 0} its tile loads {@code float4}s.
   */
  static void addGemm(CudaEmitter e, Kernel k, int m, int kk, long rows, boolean batched, String loadA, String loadB,
      String store, String comment) {
    int[] t = tiles(m, rows, kk);
    gemm(k, t, m, kk, batched ? "batch * " + rows : String.valueOf(rows), loadA, kk % 4 == 0, loadB, null, store);
    k.comment("  GEMM: M = " + m + ", N = " + (batched ? "batch x " : "") + rows + ", K = " + kk + "; tiles " + t[0]
        + " x " + t[1] + " x " + t[2]);
    int threads = t[0] * t[1] / 16;
    e.add(k, threads, k.launch(batched ? 0 : rows, batched ? rows : 0, t[1], (int) Math.ceilDiv(m, t[0]), 1, threads,
        true, comment));
  }

  /** {@code batch * perItem} for a batched output, the constant for an unbatched one. */
  static String total(Tensor y, long perItem) {
    return y.buffer().batched() ? "batch * " + perItem : String.valueOf(perItem);
  }

  static dev.netc.compiler.emit.cuda.CudaProgram.Launch launch(Kernel k, Tensor y, long perItem, Step s) {
    boolean b = y.buffer().batched();
    return k.launch(b ? 0 : perItem, b ? perItem : 0, CudaEmitter.THREADS, 1, 1, CudaEmitter.THREADS, false,
        s.comment());
  }
}
