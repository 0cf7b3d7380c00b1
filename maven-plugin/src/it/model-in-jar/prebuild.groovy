// Writes the weights into src/main/resources, so that the build packs them into the jar: fc.weight picks x0 and
// x1, fc.bias adds 0.5 and -0.5, so y = [x0 + 0.5, x1 - 0.5]. affine-extra.safetensors holds a tensor more;
// affine-cut.safetensors is affine.safetensors cut short.
import java.nio.ByteBuffer
import java.nio.ByteOrder

def safetensors = { Map<String, List> tensors ->
  def header = new StringBuilder('{')
  long offset = 0
  tensors.each { name, t ->
    def (shape, values) = t
    if (header.length() > 1) header.append(',')
    header.append("\"${name}\":{\"dtype\":\"F32\",\"shape\":${shape},\"data_offsets\":[${offset},${offset + 4 * values.size()}]}")
    offset += 4 * values.size()
  }
  def h = header.append('}').toString().getBytes('UTF-8')
  def b = ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN)
  b.putLong(h.length).put(h)
  tensors.each { name, t -> t[1].each { b.putFloat(it as float) } }
  return b.array()
}
def dir = new File(basedir, 'src/main/resources/dev/example')
dir.mkdirs()
def weights = ['fc.weight': [[2, 4], [1, 0, 0, 0, 0, 1, 0, 0]], 'fc.bias': [[2], [0.5, -0.5]]]
byte[] good = safetensors(weights)
new File(dir, 'affine.safetensors').bytes = good
new File(dir, 'affine-extra.safetensors').bytes = safetensors(weights + ['fc2.weight': [[1], [7]]])
new File(dir, 'affine-cut.safetensors').bytes = Arrays.copyOf(good, good.length - 3)

// docs/embedding.md: its network goes to src/main/net/com/acme/vision, its Java snippets become the bodies of
// DocSnippets' methods, so the build compiles each against the class generated from that network.
def md = new File(docs, 'embedding.md').text
def blocks = (md =~ /(?ms)^```(\w+)\n(.*?)^```$/).collect { [it[1], it[2]] }
def nets = blocks.findAll { it[0] == 'net' }
def snippets = blocks.findAll { it[0] == 'java' }
assert nets.size() == 1 && snippets.size() >= 8 : "docs/embedding.md: ${nets.size()} net and ${snippets.size()} java blocks"
def vision = new File(basedir, 'src/main/net/com/acme/vision')
vision.mkdirs()
new File(vision, 'classifier.net').text = nets[0][1]
def java = new StringBuilder('''package com.acme.vision;

import dev.netc.runtime.io.LoadOptions;
import dev.netc.runtime.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Java snippets of docs/embedding.md (written by prebuild.groovy): each must compile as a method body. */
final class DocSnippets {
  static float[] image = new float[Classifier.IMAGE_SHAPE.numel()];
  static Classifier model = Classifier.randomWeights(0);
  static BufferedImage picture;
  static java.util.List<float[]> arrived = new java.util.ArrayList<>();   // requests waiting, one image each

''')
snippets.eachWithIndex { s, i ->
  java.append("  static void snippet${i + 1}() throws Exception {\n")
  s[1].eachLine { java.append('    ').append(it).append('\n') }
  java.append('  }\n\n')
}
java.append('}\n')
def pkg = new File(basedir, 'src/main/java/com/acme/vision')
pkg.mkdirs()
new File(pkg, 'DocSnippets.java').text = java.toString()
return true
