// The project is what the plugin's README tells a new user to write: its "Use" block is the pom (inside a bare
// <project>), and its Java snippet must compile against the generated class.
def readme = new File(pluginReadme).text
def use = readme.substring(readme.indexOf('\n## Use\n'))
def xml = (use =~ /(?s)```xml\n(.*?)```/)
def java = (use =~ /(?s)```java\n(.*?)```/)
assert xml.find() && java.find() : 'README.md: no xml and java block under "## Use"'
// Only addition: the versions of Maven's own plugins that the outer build uses, so that this build finds them in
// its local repository (Maven's defaults would have to be downloaded, and these builds are offline).
def pinned = ['maven-resources-plugin': '3.3.1', 'maven-compiler-plugin': '3.14.0', 'maven-surefire-plugin': '3.5.3',
              'maven-jar-plugin': '3.4.2'].collect { a, v ->
  "      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>${a}</artifactId><version>${v}</version></plugin>"
}.join('\n')
def block = xml.group(1)
assert block.contains('<build>\n') : block
block = block.replaceFirst('<build>\n', "<build>\n  <pluginManagement>\n    <plugins>\n${pinned}\n    </plugins>\n  </pluginManagement>\n")
new File(basedir, 'pom.xml').text = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>readme-quickstart</artifactId>
  <version>1.0</version>
${block}</project>
"""
def src = new File(basedir, 'src/main/java/com/acme/vision')
src.mkdirs()
new File(src, 'ReadmeSnippet.java').text = """package com.acme.vision;

import java.nio.file.Path;

/** The Java snippet of the plugin's README (written by prebuild.groovy). */
final class ReadmeSnippet {
  static float[] image = new float[Classifier.IMAGE_SHAPE.numel()];

  static void snippet() throws Exception {
${java.group(1).readLines().collect { '    ' + it }.join('\n')}
  }
}
"""
return true
