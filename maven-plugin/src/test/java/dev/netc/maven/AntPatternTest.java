package dev.netc.maven;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AntPatternTest {
  @Test
  void doubleStarMatchesZeroOrMoreFolders() {
    AntPattern p = AntPattern.of("**/*.net");
    assertTrue(p.matches("tiny.net"));
    assertTrue(p.matches("a/b/tiny.net"));
    assertFalse(p.matches("tiny.net.bak"));
    assertFalse(p.matches("a/tiny.txt"));
  }

  @Test
  void singleStarStaysInOneFolder() {
    AntPattern p = AntPattern.of("*.net");
    assertTrue(p.matches("x.net"));
    assertFalse(p.matches("lib/x.net"));
    assertTrue(AntPattern.of("lib/?.net").matches("lib/a.net"));
    assertFalse(AntPattern.of("lib/?.net").matches("lib/ab.net"));
  }

  @Test
  void trailingSlashMeansEverythingBelow() {
    AntPattern p = AntPattern.of("blocks/");
    assertTrue(p.matches("blocks/resnet.net"));
    assertTrue(p.matches("blocks/deep/x.net"));
    assertFalse(p.matches("models/blocks.net"));
  }

  @Test
  void regexCharactersAreLiteral() {
    assertTrue(AntPattern.of("a+b(1).net").matches("a+b(1).net"));
    assertFalse(AntPattern.of("a.net").matches("abnet"));
  }
}
