package dev.netc.compiler.ir;

/**
 * A tensor an op owns: {@code name} relative to the layer ({@code weight}, {@code running_mean},
 * {@code out_proj.weight}), its shape, and whether it is learned, a buffer (running statistics), a buffer the op
 * derives from its own attributes ({@code relative_position_index} of Swin's window attention: counted as a buffer,
 * never read; a weights file may hold it, and then it must hold the derived values), or carried only for checkpoint
 * compatibility ({@code num_batches_tracked}: in files, never used, counted nowhere).
 */
public record ParamSpec(String name, Shape shape, Kind kind) {
  public enum Kind { LEARNED, BUFFER, DERIVED, UNUSED }

  /** Whether this tensor counts as a buffer (read from the weights or derived). */
  public boolean isBuffer() { return kind == Kind.BUFFER || kind == Kind.DERIVED; }

  /** Whether a weights file must supply this tensor's values. */
  public boolean isRead() { return kind == Kind.LEARNED || kind == Kind.BUFFER; }

  public static ParamSpec learned(String name, int... dims) { return new ParamSpec(name, Shape.of(dims), Kind.LEARNED); }

  public static ParamSpec buffer(String name, int... dims) { return new ParamSpec(name, Shape.of(dims), Kind.BUFFER); }

  public static ParamSpec derived(String name, int... dims) { return new ParamSpec(name, Shape.of(dims), Kind.DERIVED); }

  public static ParamSpec unused(String name, int... dims) { return new ParamSpec(name, Shape.of(dims), Kind.UNUSED); }

  /** A normalization's learned scale and shift ({@code weight}, {@code bias}) of this shape, or none. */
  public static java.util.List<ParamSpec> affine(boolean affine, int... dims) {
    return affine ? java.util.List.of(learned("weight", dims), learned("bias", dims)) : java.util.List.of();
  }
}
