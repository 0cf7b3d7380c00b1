package dev.netc.runtime.io;

import java.util.Arrays;
import java.util.Optional;

/** The element types of safetensors files, with their names in the file and sizes in bytes. */
public enum DType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int bytes;
  private final boolean floating;

  DType(int bytes, boolean floating) {
    this.bytes = bytes;
    this.floating = floating;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** True for the floating-point types. */
  public boolean isFloating() {
    return floating;
  }

  /** The type named {@code name} in a safetensors header (exact, upper case), if known. */
  public static Optional<DType> fromName(String name) {
    return Arrays.stream(values()).filter(d -> d.name().equals(name)).findFirst();
  }
}
