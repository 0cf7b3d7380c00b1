package dev.netc.runtime.io;

/**
 * Malformed JSON text: the message says what was expected and at which character offset.
 * {@link #duplicateKey()} names the key when the problem is a key repeated in one object.
 */
public final class JsonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final String duplicateKey;

  JsonException(String message, int offset, String duplicateKey) {
    super(message + " at offset " + offset);
    this.offset = offset;
    this.duplicateKey = duplicateKey;
  }

  /** The character offset in the text where the problem was found. */
  public int offset() {
    return offset;
  }

  /** The repeated key when that is the problem, else null. */
  public String duplicateKey() {
    return duplicateKey;
  }
}
