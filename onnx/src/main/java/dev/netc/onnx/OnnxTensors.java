package dev.netc.onnx;

import com.google.protobuf.ByteString;
import dev.netc.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ONNX {@link TensorProto} to constants, checked: dims non-negative and their product within Java arrays, the
 * data as long as the dims say (raw little-endian bytes or the typed repeated fields), float-like types to float
 * and integer-like types to long. External data, strings, complex and 8-bit float types are user errors.
 */
final class OnnxTensors {
  private OnnxTensors() {}

  static Val decode(TensorProto t, String where) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new OnnxException(where + ": tensor '" + t.getName() + "' keeps its data in an external file; save the "
          + "model with its weights inside (onnx.save_model(..., save_as_external_data=False))");
    }
    if (t.hasSegment()) throw new OnnxException(where + ": tensor '" + t.getName() + "' is segmented");
    int[] shape = new int[t.getDimsCount()];
    long n = 1;
    for (int i = 0; i < shape.length; i++) {
      long d = t.getDims(i);
      if (d < 0 || d > Integer.MAX_VALUE) {
        throw new OnnxException(where + ": tensor '" + t.getName() + "' has dimension " + d);
      }
      shape[i] = (int) d;
      n *= d;
      if (n > Integer.MAX_VALUE - 8) throw new OnnxException(where + ": tensor '" + t.getName() + "' is too large");
    }
    int count = (int) n;
    int type = t.getDataType();
    return switch (type) {
      case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.FLOAT16_VALUE,
           TensorProto.DataType.BFLOAT16_VALUE -> new Val.Floats(shape, floats(t, type, count, where));
      case TensorProto.DataType.INT64_VALUE, TensorProto.DataType.INT32_VALUE, TensorProto.DataType.INT16_VALUE,
           TensorProto.DataType.INT8_VALUE, TensorProto.DataType.UINT8_VALUE, TensorProto.DataType.UINT16_VALUE,
           TensorProto.DataType.UINT32_VALUE, TensorProto.DataType.BOOL_VALUE ->
          new Val.Ints(shape, longs(t, type, count, where));
      default -> throw new OnnxException(where + ": tensor '" + t.getName() + "' has data type "
          + typeName(type) + ", which netc does not read");
    };
  }

  static String typeName(int type) {
    TensorProto.DataType d = TensorProto.DataType.forNumber(type);
    return d == null ? "#" + type : d.name();
  }

  private static int width(int type) {
    return switch (type) {
      case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE -> 8;
      case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE, TensorProto.DataType.UINT32_VALUE -> 4;
      case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE, TensorProto.DataType.INT16_VALUE,
           TensorProto.DataType.UINT16_VALUE -> 2;
      default -> 1;
    };
  }

  private static ByteBuffer raw(TensorProto t, int type, int count, String where) {
    ByteString raw = t.getRawData();
    long want = (long) count * width(type);
    if (raw.size() != want) {
      throw new OnnxException(where + ": tensor '" + t.getName() + "' should hold " + want + " bytes of data, has "
          + raw.size());
    }
    return raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void checkCount(TensorProto t, int have, int count, String where) {
    if (have != count) {
      throw new OnnxException(where + ": tensor '" + t.getName() + "' should hold " + count + " values, has " + have);
    }
  }

  /** The data is checked to be there, count values of it, before anything of that size is allocated. */
  private static float[] floats(TensorProto t, int type, int count, String where) {
    if (t.hasRawData()) {
      ByteBuffer b = raw(t, type, count, where);
      float[] out = new float[count];
      for (int i = 0; i < count; i++) {
        out[i] = switch (type) {
          case TensorProto.DataType.FLOAT_VALUE -> b.getFloat(4 * i);
          case TensorProto.DataType.DOUBLE_VALUE -> (float) b.getDouble(8 * i);
          case TensorProto.DataType.FLOAT16_VALUE -> Float.float16ToFloat(b.getShort(2 * i));
          default -> Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
        };
      }
      return out;
    }
    checkCount(t, switch (type) {
      case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
      case TensorProto.DataType.DOUBLE_VALUE -> t.getDoubleDataCount();
      default -> t.getInt32DataCount();
    }, count, where);
    float[] out = new float[count];
    switch (type) {
      case TensorProto.DataType.FLOAT_VALUE -> {
        for (int i = 0; i < count; i++) out[i] = t.getFloatData(i);
      }
      case TensorProto.DataType.DOUBLE_VALUE -> {
        for (int i = 0; i < count; i++) out[i] = (float) t.getDoubleData(i);
      }
      default -> {
        for (int i = 0; i < count; i++) {
          int bits = t.getInt32Data(i) & 0xffff;
          out[i] = type == TensorProto.DataType.FLOAT16_VALUE ? Float.float16ToFloat((short) bits)
              : Float.intBitsToFloat(bits << 16);
        }
      }
    }
    return out;
  }

  private static long[] longs(TensorProto t, int type, int count, String where) {
    if (t.hasRawData()) {
      ByteBuffer b = raw(t, type, count, where);
      long[] out = new long[count];
      for (int i = 0; i < count; i++) {
        out[i] = switch (type) {
          case TensorProto.DataType.INT64_VALUE -> b.getLong(8 * i);
          case TensorProto.DataType.INT32_VALUE -> b.getInt(4 * i);
          case TensorProto.DataType.UINT32_VALUE -> b.getInt(4 * i) & 0xffffffffL;
          case TensorProto.DataType.INT16_VALUE -> b.getShort(2 * i);
          case TensorProto.DataType.UINT16_VALUE -> b.getShort(2 * i) & 0xffff;
          case TensorProto.DataType.INT8_VALUE -> b.get(i);
          default -> b.get(i) & 0xff;
        };
      }
      return out;
    }
    checkCount(t, switch (type) {
      case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
      case TensorProto.DataType.UINT32_VALUE -> t.getUint64DataCount();
      default -> t.getInt32DataCount();
    }, count, where);
    long[] out = new long[count];
    switch (type) {
      case TensorProto.DataType.INT64_VALUE -> {
        for (int i = 0; i < count; i++) out[i] = t.getInt64Data(i);
      }
      case TensorProto.DataType.UINT32_VALUE -> {
        for (int i = 0; i < count; i++) out[i] = t.getUint64Data(i);
      }
      default -> {
        for (int i = 0; i < count; i++) out[i] = t.getInt32Data(i);
      }
    }
    return out;
  }
}
