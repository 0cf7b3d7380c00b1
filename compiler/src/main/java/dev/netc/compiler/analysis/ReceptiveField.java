package dev.netc.compiler.analysis;

import java.util.List;

/**
 * The receptive field and effective stride of one tensor, per spatial dimension, in pixels of the network input:
 * {@code size[d]} input pixels along dim {@code d} can influence one element, and moving one element along
 * {@code d} moves that window by {@code stride[d]} input pixels. Both can be fractional after upsampling
 * (a stride of 0.5 means two output elements per input pixel). The receptive field is theoretical: it may be
 * larger than the input (the padding part of it reads zeros).
 */
public record ReceptiveField(List<Double> size, List<Double> stride) {
  public ReceptiveField {
    size = List.copyOf(size);
    stride = List.copyOf(stride);
    if (size.size() != stride.size()) throw new IllegalArgumentException("size and stride differ in rank");
  }

  /** The receptive field of a network input: one pixel, stride one, along each of {@code dims} dims. */
  public static ReceptiveField unit(int dims) {
    return new ReceptiveField(java.util.Collections.nCopies(dims, 1.0), java.util.Collections.nCopies(dims, 1.0));
  }

  public int dims() { return size.size(); }

  /** {@code 35} when every dim has the same value, else {@code 35x19}. */
  public String sizeText() { return text(size); }

  /** As {@link #sizeText()}, for the stride. */
  public String strideText() { return text(stride); }

  static String text(List<Double> xs) {
    if (xs.stream().distinct().count() == 1) return number(xs.getFirst());
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < xs.size(); i++) b.append(i == 0 ? "" : "x").append(number(xs.get(i)));
    return b.toString();
  }

  /** An integer when the value is one, else at most four decimals ({@code 0.5}, {@code 0.3333}). */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    String s = String.format(java.util.Locale.ROOT, "%.4f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The value as a JSON number: a Long when integral, else a Double. */
  public static Number jsonNumber(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }
}
