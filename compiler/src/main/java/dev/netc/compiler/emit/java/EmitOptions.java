package dev.netc.compiler.emit.java;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the Java emitter needs besides the plan: where the class goes ({@code packageName}, {@code className}) and
 * the provenance it records ({@code sourceSha256} of the {@code .net} text, {@code compilerVersion}).
 */
public record EmitOptions(String packageName, String className, String sourceSha256, String compilerVersion) {
  /** The package generated classes go to when the user names none. */
  public static final String DEFAULT_PACKAGE = "netc.generated";

  public EmitOptions {
    if (!packageName.isEmpty() && !javax.lang.model.SourceVersion.isName(packageName)) {
      throw new IllegalArgumentException("not a Java package name: " + packageName);
    }
    if (!javax.lang.model.SourceVersion.isIdentifier(className) || javax.lang.model.SourceVersion.isKeyword(className)) {
      throw new IllegalArgumentException("not a Java class name: " + className);
    }
    if (Identifiers.NESTED_TYPES.contains(className)) {
      throw new IllegalArgumentException("the generated class cannot be named like its nested type " + className);
    }
  }

  /** Options for network {@code network} compiled from {@code source}: the default package, a PascalCase class name. */
  public static EmitOptions of(String network, String source, String compilerVersion) {
    return new EmitOptions(DEFAULT_PACKAGE, Identifiers.className(network), sha256(source), compilerVersion);
  }

  public EmitOptions withPackage(String p) { return new EmitOptions(p, className, sourceSha256, compilerVersion); }

  /** The hex SHA-256 of a text's UTF-8 bytes. */
  public static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
