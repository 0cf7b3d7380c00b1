package dev.netc.maven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 of files, each read at most once per build (an imported block library is hashed once however many
 * inputs import it). A file that cannot be read hashes to {@link #MISSING}, which matches no recorded hash.
 */
final class Hashes {
  static final String MISSING = "missing";

  private final Map<Path, String> cache = new HashMap<>();

  String of(Path file) { return cache.computeIfAbsent(file, Hashes::compute); }

  /** Forgets a file's hash (after the build itself rewrote it). */
  void forget(Path file) { cache.remove(file); }

  static String compute(Path file) {
    if (!Files.isRegularFile(file)) return MISSING;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = sha256();
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      return MISSING;
    }
  }

  static String of(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
