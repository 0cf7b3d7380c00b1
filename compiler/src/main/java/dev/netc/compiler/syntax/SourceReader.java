package dev.netc.compiler.syntax;

import dev.netc.compiler.diag.Code;
import dev.netc.compiler.diag.Diagnostic;
import dev.netc.compiler.diag.Source;
import dev.netc.compiler.diag.Span;
import dev.netc.compiler.diag.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Reads a .net file as strict UTF-8 text. Binary files, invalid UTF-8 and absurd sizes become diagnostics with the
 * position of the first bad byte, never garbage fed to the lexer.
 */
public final class SourceReader {
  /** Larger than any real architecture description by far; protects the lexer and the heap. */
  public static final long MAX_BYTES = 16L << 20;
  private static final Pattern LONE_CR = Pattern.compile("\r(?!\n)");

  private SourceReader() {}

  public static Source read(Path path) {
    byte[] bytes;
    try {
      if (Files.isDirectory(path)) {
        throw new UserError(Diagnostic.error(Code.NET019, fileSpan(path), path + " is a folder, not a .net file"));
      }
      if (Files.exists(path) && !Files.isRegularFile(path)) {
        throw new UserError(Diagnostic.error(Code.NET019, fileSpan(path),
            path + " is not a regular file (a device, pipe or socket); netc reads .net files"));
      }
      bytes = readAtMost(path, MAX_BYTES);
    } catch (NoSuchFileException e) {
      throw new UserError(Diagnostic.error(Code.NET019, fileSpan(path), "no such file: " + path));
    } catch (IOException e) {
      throw new UserError(Diagnostic.error(Code.NET019, fileSpan(path), "cannot read " + path + ": " + e.getMessage()));
    }
    return decode(path, bytes);
  }

  /** The file's bytes; a file larger than {@code limit} is refused without reading it all (it may be growing). */
  private static byte[] readAtMost(Path path, long limit) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) limit + 1);
      if (bytes.length > limit) {
        long size = Math.max(bytes.length, Files.size(path));
        throw new UserError(Diagnostic.error(Code.NET003, fileSpan(path),
            "file is " + size + " bytes or more; the limit for a .net file is " + limit + " bytes"));
      }
      return bytes;
    }
  }

  /** Decodes bytes that claim to be a .net file; public for tests and for sources that do not come from disk. */
  public static Source decode(Path path, byte[] bytes) {
    int start = hasBom(bytes) ? 3 : 0;
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        Source partial = new Source(path, new String(bytes, start, i - start, StandardCharsets.UTF_8));
        // The position in characters, not bytes: the text before the NUL may hold multi-byte characters.
        throw new UserError(Diagnostic.error(Code.NET002, at(partial, partial.text().length()),
            "found a NUL byte at offset " + i + ": this looks like a binary file, not .net source"));
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      // A lone CR (classic Mac line ends) ends a line as LF does: replaced one for one, so offsets do not move.
      String text = decoder.decode(ByteBuffer.wrap(bytes, start, bytes.length - start)).toString();
      return new Source(path, LONE_CR.matcher(text).replaceAll("\n"));
    } catch (CharacterCodingException e) {
      int bad = firstInvalidUtf8(bytes, start);
      Source partial = new Source(path, new String(bytes, start, bad - start, StandardCharsets.UTF_8));
      throw new UserError(Diagnostic.error(Code.NET002, at(partial, partial.text().length()),
          String.format("invalid UTF-8 at byte offset %d (byte 0x%02x): .net files must be UTF-8 text",
              bad, bytes[bad] & 0xff)));
    }
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
  }

  private static int firstInvalidUtf8(byte[] bytes, int from) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : bytes.length - 1;
  }

  private static Span at(Source s, int offset) { return new Span(s, offset, offset); }

  private static Span fileSpan(Path path) { return new Span(new Source(path, ""), 0, 0); }
}
