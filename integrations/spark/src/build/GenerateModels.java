import dev.netc.compiler.Compilation;
import dev.netc.compiler.Compiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compiles every {@code .net} file under a folder to Java, one class per network, in the package named by the
 * file's folder under it (as netc-maven-plugin does). Run by the build before the test sources are compiled:
 * {@code java -cp TEST_CLASSPATH GenerateModels.java NET_DIR OUT_DIR}.
 */
final class GenerateModels {
  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(in)) {
      files = walk.filter(p -> p.toString().endsWith(".net")).sorted().toList();
    }
    for (Path file : files) {
      String pkg = in.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
      Compilation c = Compiler.compile(Compiler.Options.file(file).withPackage(pkg));
      for (Compilation.Network n : c.networks()) {
        n.java().writeTo(out);
      }
    }
  }
}
