package dev.netc.cli;

import dev.netc.lsp.NetcLanguageServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code netc lsp}: the language server for editors, speaking the Language Server Protocol on stdin and stdout
 * until the editor ends the session. Standard output belongs to the protocol: anything else printed goes to
 * standard error.
 */
@Command(name = "lsp", mixinStandardHelpOptions = true,
    description = {"Run the language server for editors (Language Server Protocol over stdin/stdout).",
        "Diagnostics as you type, hover with layer shapes and counts, completion, go to definition, formatting, "
            + "outline, inlay hints (initialization option {\"inlayHints\": true}). See lsp/README.md."})
final class LspCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    OutputStream protocol = new FileOutputStream(FileDescriptor.out);
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    try {
      return NetcLanguageServer.serve(new FileInputStream(FileDescriptor.in), protocol);
    } finally {
      System.setOut(stdout);
    }
  }
}
