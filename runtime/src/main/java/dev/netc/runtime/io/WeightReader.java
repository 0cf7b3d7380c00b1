package dev.netc.runtime.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A network's view of a weights file while it loads: each tensor by name with its shape checked
 * ({@link #floats}), and afterwards ({@link #finish}) the check that the file held nothing else,
 * unless the {@link LoadOptions} allow it. Generated classes load through one; so does the
 * interpreter, so both refuse the same files with the same message. Not thread-safe: one load, one
 * reader.
 */
public final class WeightReader {
  /** At most this many names are listed in the message; the count says how many there are. */
  static final int LISTED = 20;

  private final SafeTensors file;
  private final LoadOptions options;
  private final Set<String> known;
  private final Set<String> read = new HashSet<>();
  private final Set<String> expected;

  /**
   * @param known tensors that belong to the network although it never reads them (BatchNorm's
   *     {@code num_batches_tracked}): a strict load accepts them in the file
   */
  public WeightReader(SafeTensors file, LoadOptions options, Collection<String> known) {
    this(file, options, known, List.of());
  }

  /**
   * @param expected every tensor the network will read: a missing one is reported with the close names among
   *     the file's other tensors only (a name the network reads anyway is no candidate for the missing one)
   */
  public WeightReader(SafeTensors file, LoadOptions options, Collection<String> known, Collection<String> expected) {
    this.file = file;
    this.options = options;
    this.known = Set.copyOf(known);
    this.expected = Set.copyOf(expected);
  }

  /** The tensor {@code name} as floats, after checking its shape (see {@link SafeTensors#floats}). */
  public float[] floats(String name, int... expectedShape) throws TensorFileException {
    if (!file.contains(name)) {
      throw file.origin().fail(CloseNames.missingAmongUnused(name, spare()));
    }
    float[] data = file.floats(name, expectedShape);
    read.add(name);
    return data;
  }

  /**
   * The file's tensors that may be meant by a missing name: neither read yet, nor known, nor expected; "no tensor
   * named \"fc.weight\"; unused names close to it: fc1.weight" then points at what the file has instead.
   */
  private List<String> spare() {
    List<String> out = new ArrayList<>();
    for (String n : file.names()) {
      if (!read.contains(n) && !known.contains(n) && !expected.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** The file's tensors that were neither read nor known, in the file's order. */
  public List<String> unused() {
    List<String> out = new ArrayList<>();
    for (String n : file.names()) {
      if (!read.contains(n) && !known.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Checks a tensor the network derives from its own attributes rather than reads (Swin's
   * {@code relative_position_index}): a file need not hold it, but when it does, it must hold exactly {@code expected}
   * (any shape with that many elements, integer or float), or the load fails naming the first element that differs.
   */
  public void checkDerived(String name, long[] expected) throws TensorFileException {
    if (!file.contains(name)) {
      return;
    }
    SafeTensors.Entry e = file.entry(name);
    if (e.shape().numelLong() != expected.length) {
      throw file.origin().fail(name + ": derived tensor of " + expected.length + " elements, file has " + e.shape());
    }
    double[] got = new double[expected.length];
    if (e.dtype().isFloating()) {
      float[] f = file.floats(name, e.shape().dims());
      for (int i = 0; i < got.length; i++) got[i] = f[i];
    } else {
      long[] l = file.longs(name);
      for (int i = 0; i < got.length; i++) got[i] = l[i];
    }
    for (int i = 0; i < got.length; i++) {
      if (got[i] != expected[i]) {
        throw file.origin().fail(name + ": the file's element " + i + " is "
            + (got[i] == Math.rint(got[i]) ? String.valueOf((long) got[i]) : String.valueOf(got[i]))
            + ", but the network derives "
            + expected[i] + " (a tensor fixed by the layer's attributes)");
      }
    }
    read.add(name);
  }

  /**
   * Ends the load: under strict options, a file with tensors the network does not use is a
   * {@link TensorFileException} that lists them: {@code model.safetensors: 2 tensors the network
   * does not use: fc2.weight, fc2.bias (strict loading; LoadOptions.lenient() ignores them)}.
   */
  public void finish() throws TensorFileException {
    List<String> unused = unused();
    if (!unused.isEmpty() && !options.allowUnusedTensors()) {
      throw file.origin().fail(describe(unused) + " (strict loading; LoadOptions.lenient() ignores them)");
    }
  }

  /** {@code 2 tensors the network does not use: a, b}, the names cut after {@value #LISTED}. */
  public static String describe(List<String> unused) {
    String names = String.join(", ", unused.subList(0, Math.min(LISTED, unused.size())));
    if (unused.size() > LISTED) {
      names += ", … (" + (unused.size() - LISTED) + " more)";
    }
    return unused.size() + (unused.size() == 1 ? " tensor" : " tensors") + " the network does not use: " + names;
  }
}
