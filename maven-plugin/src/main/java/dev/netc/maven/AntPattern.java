package dev.netc.maven;

import java.util.regex.Pattern;

/**
 * An include or exclude pattern in the Ant style Maven users know: {@code **} matches any number of folders
 * (zero included, so {@code **}{@code /*.net} matches {@code tiny.net} at the top), {@code *} any characters
 * within one name, {@code ?} one character. Paths are relative to the source folder, with {@code /} separators.
 */
record AntPattern(String text, Pattern regex) {
  static AntPattern of(String text) {
    String t = text.trim().replace('\\', '/');
    // Ant's shorthand: a pattern ending in a folder separator means everything below it.
    if (t.endsWith("/")) t = t + "**";
    return new AntPattern(text, Pattern.compile(translate(t)));
  }

  boolean matches(String relativePath) { return regex.matcher(relativePath).matches(); }

  private static String translate(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (glob.startsWith("**/", i)) {
        re.append("(?:.*/)?");
        i += 3;
      } else if (glob.startsWith("**", i)) {
        re.append(".*");
        i += 2;
      } else {
        re.append(switch (c) {
          case '*' -> "[^/]*";
          case '?' -> "[^/]";
          default -> Pattern.quote(String.valueOf(c));
        });
        i++;
      }
    }
    return re.toString();
  }
}
