package dev.netc.compiler.emit.cuda;

import dev.netc.compiler.ir.Node;
import dev.netc.compiler.ir.RoiAlign;
import dev.netc.compiler.ir.RoiPool;
import dev.netc.compiler.plan.Plan.Step;

/**
 * RoI max pooling and RoI align over {@code [K, 5]} boxes ({@code batch index, x0, y0, x1, y1}), one thread per
 * output element of the unbatched {@code [K, C, outH, outW]} result, by the runtime's rules (torchvision's). A box's
 * batch index is clamped to the batch (the CPU path rejects a bad one; a kernel cannot).
 */
final class RoiKernels {
  private RoiKernels() {}

  private static String head(Kernel k, Tensor x, Tensor y, int k0, int oh, int ow) {
    int c = x.channels();
    long total = (long) k0 * c * oh * ow;
    k.line("const int i = blockIdx.x * blockDim.x + threadIdx.x;")
        .line("if (i >= " + total + ") return;")
        .line("const int r = i / " + ((long) c * oh * ow) + ", ch = i / " + (oh * ow) + " % " + c + ", ph = i / " + ow
            + " % " + oh + ", pw = i % " + ow + ";")
        .line("const float* box = boxes + r * 5;")
        .line("const int b = min(max((int) box[0], 0), batch - 1);");
    return y.flat("0", "i");
  }

  static void pool(CudaEmitter e, Step s, Node n, RoiPool op) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    e.tensor(k, "boxes", s.inputs().get(1), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int h = x.type().dim(1), w = x.type().dim(2);
    int oh = op.output().get(0), ow = op.output().get(1);
    int boxes = e.plan.buffer(s.inputs().get(1)).type().dim(0);
    String out = head(k, x, y, boxes, oh, ow);
    String sc = CudaEmitter.flt(op.scale());
    k.lines("""
        const int x0 = (int) copysignf(floorf(fabsf(box[1] * %1$s) + 0.5f), box[1]);
        const int y0 = (int) copysignf(floorf(fabsf(box[2] * %1$s) + 0.5f), box[2]);
        const int x1 = (int) copysignf(floorf(fabsf(box[3] * %1$s) + 0.5f), box[3]);
        const int y1 = (int) copysignf(floorf(fabsf(box[4] * %1$s) + 0.5f), box[4]);
        const float bh = (float) max(y1 - y0 + 1, 1) / %2$d, bw = (float) max(x1 - x0 + 1, 1) / %3$d;
        const int hs = min(max((int) floorf(ph * bh) + y0, 0), %4$d), he = min(max((int) ceilf((ph + 1) * bh) + y0, 0), %4$d);
        const int ws = min(max((int) floorf(pw * bw) + x0, 0), %5$d), we = min(max((int) ceilf((pw + 1) * bw) + x0, 0), %5$d);
        float v = he <= hs || we <= ws ? 0.f : -3.402823466e38f;
        for (int yy = hs; yy < he; yy++)
          for (int xx = ws; xx < we; xx++) v = fmaxf(v, %6$s);
        %7$s = v;""".formatted(sc, oh, ow, h, w, x.at("b", "ch", "yy * " + w + " + xx"), out));
    e.add(k, CudaEmitter.THREADS, k.launch((long) boxes * x.channels() * oh * ow, 0, CudaEmitter.THREADS, 1, 1,
        CudaEmitter.THREADS, false, s.comment()));
  }

  static void align(CudaEmitter e, Step s, Node n, RoiAlign op) {
    Kernel k = e.kernel(s, "");
    Tensor x = e.tensor(k, "x", s.inputs().get(0), false);
    e.tensor(k, "boxes", s.inputs().get(1), false);
    Tensor y = e.tensor(k, "y", s.output(), true);
    int h = x.type().dim(1), w = x.type().dim(2);
    int oh = op.output().get(0), ow = op.output().get(1);
    int boxes = e.plan.buffer(s.inputs().get(1)).type().dim(0);
    String out = head(k, x, y, boxes, oh, ow);
    String sc = CudaEmitter.flt(op.scale());
    String off = op.aligned() ? "0.5f" : "0.f";
    String tap = x.at("b", "ch", "%s * " + w + " + %s");
    k.lines("""
        const float x0 = box[1] * %1$s - %2$s, y0 = box[2] * %1$s - %2$s;
        float rw = box[3] * %1$s - %2$s - x0, rh = box[4] * %1$s - %2$s - y0;
        %3$s
        const float bh = rh / %4$d, bw = rw / %5$d;
        const int gh = %6$s, gw = %7$s;
        const float count = (float) max(gh * gw, 1);
        float sum = 0.f;
        for (int iy = 0; iy < gh; iy++) {
          const float yy = y0 + ph * bh + (iy + .5f) * bh / gh;
          for (int ix = 0; ix < gw; ix++) {
            const float xx = x0 + pw * bw + (ix + .5f) * bw / gw;
            if (yy < -1.f || yy > %8$d || xx < -1.f || xx > %9$d) continue;
            float fy = fmaxf(yy, 0.f), fx = fmaxf(xx, 0.f);
            int yl = (int) fy, xl = (int) fx, yh, xh;
            if (yl >= %10$d) { yh = yl = %10$d; fy = (float) yl; } else yh = yl + 1;
            if (xl >= %11$d) { xh = xl = %11$d; fx = (float) xl; } else xh = xl + 1;
            const float ly = fy - yl, lx = fx - xl, hy = 1.f - ly, hx = 1.f - lx;
            sum += hy * hx * %12$s + hy * lx * %13$s + ly * hx * %14$s + ly * lx * %15$s;
          }
        }
        %16$s = sum / count;""".formatted(sc, off,
        op.aligned() ? "" : "rw = fmaxf(rw, 1.f); rh = fmaxf(rh, 1.f);", oh, ow,
        op.sampling() > 0 ? String.valueOf(op.sampling()) : "(int) ceilf(rh / " + oh + ")",
        op.sampling() > 0 ? String.valueOf(op.sampling()) : "(int) ceilf(rw / " + ow + ")",
        h, w, h - 1, w - 1, tap.formatted("yl", "xl"), tap.formatted("yl", "xh"), tap.formatted("yh", "xl"),
        tap.formatted("yh", "xh"), out));
    e.add(k, CudaEmitter.THREADS, k.launch((long) boxes * x.channels() * oh * ow, 0, CudaEmitter.THREADS, 1, 1,
        CudaEmitter.THREADS, false, s.comment()));
  }
}
