package dev.netc.runtime.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Copies one safetensors entry out of the mapped data section, converting its dtype. */
final class TensorDecoding {
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private TensorDecoding() {}

  static float[] floats(Origin origin, MemorySegment data, SafeTensors.Entry e) throws TensorFileException {
    int n = count(origin, e);
    MemorySegment s = data.asSlice(e.begin(), e.end() - e.begin());
    float[] out = new float[n];
    switch (e.dtype()) {
      case F32 -> MemorySegment.copy(s, F32, 0, out, 0, n);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          double d = s.getAtIndex(F64, i);
          out[i] = (float) d;
          // A finite double beyond float32's range would silently become an infinity in every kernel.
          if (Float.isInfinite(out[i]) && Double.isFinite(d)) {
            throw origin.fail(e.name() + ": element " + i + " is " + d + ", beyond float32's range (|x| <= "
                + Float.MAX_VALUE + ")");
          }
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.float16ToFloat(s.getAtIndex(I16, i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = Float.intBitsToFloat((s.getAtIndex(I16, i) & 0xffff) << 16);
        }
      }
      default -> {
        long[] l = integers(s, e, n);
        for (int i = 0; i < n; i++) {
          out[i] = l[i];
        }
      }
    }
    return out;
  }

  static long[] longs(Origin origin, MemorySegment data, SafeTensors.Entry e) throws TensorFileException {
    if (e.dtype().isFloating()) {
      throw origin.fail(e.name() + ": is " + e.dtype() + ", expected an integer dtype");
    }
    int n = count(origin, e);
    return integers(data.asSlice(e.begin(), e.end() - e.begin()), e, n);
  }

  private static long[] integers(MemorySegment s, SafeTensors.Entry e, int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = switch (e.dtype()) {
        case I64 -> s.getAtIndex(I64, i);
        case I32 -> s.getAtIndex(I32, i);
        case I16 -> s.getAtIndex(I16, i);
        case I8 -> s.get(ValueLayout.JAVA_BYTE, i);
        case U8 -> s.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        case BOOL -> s.get(ValueLayout.JAVA_BYTE, i) != 0 ? 1 : 0;
        default -> throw new AssertionError(e.dtype());
      };
    }
    return out;
  }

  private static int count(Origin origin, SafeTensors.Entry e) throws TensorFileException {
    long n = e.shape().numelLong();
    if (n > Integer.MAX_VALUE - 8) {
      throw origin.fail(e.name() + ": " + n + " elements do not fit one Java array");
    }
    return (int) n;
  }
}
