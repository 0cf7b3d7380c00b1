package dev.netc.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's standard output as a stream that remembers its first write failure (a full disk, a closed pipe),
 * so that {@link Main} can report it once at the end instead of losing it the way {@link System#out} does.
 */
final class Stdout extends FilterOutputStream {
  private IOException failure;

  Stdout() { this(new FileOutputStream(FileDescriptor.out)); }

  Stdout(OutputStream out) { super(out); }

  /** The first write or flush that failed, or null. */
  IOException failure() { return failure; }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw remember(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw remember(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw remember(e);
    }
  }

  private IOException remember(IOException e) {
    if (failure == null) failure = e;
    return e;
  }

  /** True for the failure of a write to a pipe whose reader has gone ({@code netc ops | head}). */
  static boolean brokenPipe(IOException e) {
    return e != null && e.getMessage() != null && e.getMessage().contains("Broken pipe");
  }
}
