// The jar is multi-release: a Java before 25 sees the Java 8 stand-ins of the goals, Java 25 the goals themselves.
// Then, if this machine has a JDK older than 25, the same build on it must fail with one line and no stack trace.
import java.util.jar.JarFile
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
assert log.contains('netc: tiny.net -> dev.example.Tiny') : log

def versions = new File(localRepositoryPath, 'dev/netc/netc-maven-plugin').listFiles().findAll { it.isDirectory() }
assert versions.size() == 1 : versions
def jar = versions[0].listFiles().find { it.name ==~ /netc-maven-plugin-.*\.jar/ }
assert jar : versions[0].list()
def major = { JarFile j, String name ->
  def input = new DataInputStream(j.getInputStream(j.getJarEntry(name)))
  try { input.readInt(); input.readUnsignedShort(); return input.readUnsignedShort() } finally { input.close() }
}
['17', '25'].each { v ->
  new JarFile(jar, true, ZipFile.OPEN_READ, Runtime.Version.parse(v)).withCloseable { j ->
    assert j.isMultiRelease()
    ['GenerateMojo', 'ReportMojo', 'AbstractNetcMojo'].each { c ->
      assert major(j, "dev/netc/maven/${c}.class") == (v == '17' ? 52 : 69) : "${c} as seen by Java ${v}"
    }
  }
}

def oldJdk = ['/usr/lib/jvm', '/opt/java'].collectMany { new File(it).listFiles()?.toList() ?: [] }.sort().find { home ->
  def release = new File(home, 'release')
  if (!release.isFile() || !new File(home, 'bin/java').canExecute()) return false
  def m = release.text =~ /(?m)^JAVA_VERSION="(?:1\.)?(\d+)/
  m.find() && (m.group(1) as int) in (8..24)
}
if (oldJdk == null) {
  println 'old-jdk: no JDK older than 25 under /usr/lib/jvm or /opt/java; checked the jar layout only'
  return true
}
// An empty .mvn stops Maven from taking the repository's .mvn/jvm.config (options an old Java rejects).
new File(basedir, '.mvn').mkdirs()
def launcher = new File(System.getProperty('maven.home'), 'bin/mvn')
def pb = new ProcessBuilder([launcher.absolutePath, '-B', '-o', '-ntp',
    '-Dmaven.repo.local=' + localRepositoryPath.absolutePath, 'validate']).directory(basedir).redirectErrorStream(true)
pb.environment().put('JAVA_HOME', oldJdk.absolutePath)
pb.environment().remove('MAVEN_OPTS')
def p = pb.start()
def out = p.inputStream.text
p.waitFor()
new File(basedir, 'build-old-jdk.log').text = out
assert p.exitValue() != 0 : out
def errors = out.readLines().findAll { it.startsWith('[ERROR] Failed to execute goal') }
assert errors.size() == 1 : out
assert errors[0].contains('netc:generate needs Java 25 or newer, but Maven runs on Java ') : out
assert errors[0].contains("(${oldJdk.canonicalPath}") || errors[0].contains("(${oldJdk.absolutePath}") : out
assert !out.contains('UnsupportedClassVersionError') && !out.contains('realm =') : out
assert !(out =~ /(?m)^\s+at [\w.$]+\(/) : 'no stack trace'
println "old-jdk: on ${oldJdk}: ${errors[0]}"
return true
