package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PackageNamesTest {
  @Test
  void theFolderIsThePackage() {
    assertEquals("com.acme.models", PackageNames.of(Path.of("com/acme/models/tiny.net"), null));
    assertEquals("netc.generated", PackageNames.of(Path.of("tiny.net"), null));
    assertEquals("x.y", PackageNames.of(Path.of("com/acme/tiny.net"), " x.y "));
  }

  @Test
  void aFolderThatIsNoPackageNameIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackageNames.of(Path.of("my-models/tiny.net"), null));
    assertTrue(e.getMessage().contains("my-models"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PackageNames.of(Path.of("class/tiny.net"), null));
    assertThrows(IllegalArgumentException.class, () -> PackageNames.checkConfigured("1bad"));
  }
}
