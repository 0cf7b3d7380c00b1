package dev.netc.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * How one network input is read out of a row: which column, and how its value becomes the input's floats.
 * Serializable: it runs on the executors.
 */
public interface InputReader extends Serializable {
  /** The column it reads. */
  String column();

  /**
   * Checks, on the driver before the job starts, that the column's type suits this reader; throws
   * {@link IllegalArgumentException} naming the column, the expected and the found type.
   */
  void check(StructField field);

  /**
   * Writes {@code size} floats of {@code value} (the column's value in one row, possibly null) to {@code dst} from
   * {@code offset}; throws {@link BadRowException} for a value it cannot read.
   */
  void read(Object value, float[] dst, int offset, int size);

  /**
   * An array of numbers ({@code array<float>}, {@code double}, {@code int}, {@code long}, ...) of exactly the
   * input's size, in the input's layout (PyTorch's, e.g. channels, rows, columns for an image). A null array or
   * element and a wrong length are bad rows.
   */
  static InputReader numbers(String column) {
    return new Numbers(column);
  }

  /**
   * A {@code binary} value of exactly the input's size, one unsigned byte per float, each becoming
   * {@code byte * scale + shift}: 8-bit pixels, for instance, with {@code scale = 1 / 255f} and {@code shift = 0}.
   */
  static InputReader unsignedBytes(String column, float scale, float shift) {
    return new UnsignedBytes(column, scale, shift);
  }

  /** Numeric arrays, converted element by element. */
  record Numbers(String column) implements InputReader {
    /** Reads {@code column}. */
    public Numbers {
      Objects.requireNonNull(column, "column");
    }

    @Override
    public void check(StructField field) {
      if (!(field.dataType() instanceof ArrayType a) || !(a.elementType() instanceof NumericType)) {
        throw wrongType(field, "an array of numbers");
      }
    }

    @Override
    public void read(Object value, float[] dst, int offset, int size) {
      if (value == null) throw new BadRowException(column + ": null");
      switch (value) {
        case scala.collection.mutable.ArraySeq.ofFloat a -> copy(a.array(), dst, offset, size);
        case scala.collection.immutable.ArraySeq.ofFloat a -> copy(a.unsafeArray(), dst, offset, size);
        case float[] a -> copy(a, dst, offset, size);
        case scala.collection.Seq<?> s -> copy(scala.jdk.javaapi.CollectionConverters.asJava(s), dst, offset, size);
        case List<?> l -> copy(l, dst, offset, size);
        default -> throw new BadRowException(column + ": not an array but " + value.getClass().getName());
      }
    }

    private void copy(float[] src, float[] dst, int offset, int size) {
      checkLength(src.length, size);
      System.arraycopy(src, 0, dst, offset, size);
    }

    private void copy(List<?> src, float[] dst, int offset, int size) {
      checkLength(src.size(), size);
      int i = 0;
      for (Object v : src) {
        if (!(v instanceof Number n)) throw new BadRowException(column + ": null at index " + i);
        dst[offset + i++] = n.floatValue();
      }
    }

    private void checkLength(int found, int size) {
      if (found != size) throw new BadRowException(column + ": expected " + size + " values, got " + found);
    }
  }

  /** Bytes as unsigned values, scaled and shifted. */
  record UnsignedBytes(String column, float scale, float shift) implements InputReader {
    /** Reads {@code column}. */
    public UnsignedBytes {
      Objects.requireNonNull(column, "column");
    }

    @Override
    public void check(StructField field) {
      if (!(field.dataType() instanceof BinaryType)) throw wrongType(field, "binary");
    }

    @Override
    public void read(Object value, float[] dst, int offset, int size) {
      if (!(value instanceof byte[] bytes)) throw new BadRowException(column + ": null");
      if (bytes.length != size) throw new BadRowException(column + ": expected " + size + " bytes, got " + bytes.length);
      for (int i = 0; i < size; i++) dst[offset + i] = (bytes[i] & 0xFF) * scale + shift;
    }
  }

  private static IllegalArgumentException wrongType(StructField field, String expected) {
    DataType t = field.dataType();
    return new IllegalArgumentException("column \"" + field.name() + "\": expected " + expected + ", found " + t.simpleString());
  }
}
