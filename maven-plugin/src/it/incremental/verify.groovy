// After the fresh build: check what it made, then run the incremental cases as further (offline) builds of this
// project with the same Maven, Java and local repository, each checked before the next.

def gen = new File(basedir, 'target/generated-sources/netc/dev/example')
def classes = new File(basedir, 'target/classes/dev/example')
def net = new File(basedir, 'src/main/net/dev/example')
def log = new File(basedir, 'build.log').text

// Fresh build.
assert log.contains('netc: dev/example/tiny.net -> dev.example.Tiny')
assert log.contains('netc: dev/example/lib/pair.net -> no networks (blocks only)')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert new File(gen, 'Tiny.java').isFile() && new File(gen, 'Other.java').isFile()
assert gen.list().sort() == ['Other.java', 'Tiny.java'] : 'a blocks-only file generates nothing'
assert new File(classes, 'Tiny.class').isFile()
assert new File(basedir, 'target/netc-reports/Tiny.md').text.contains('Tiny')
assert new File(basedir, 'target/netc-reports/Other.json').text.contains('"network"')

def mavenHome = System.getProperty('maven.home')
assert mavenHome : 'the nested builds run the Maven of the outer build, found through the property maven.home'
def launcher = new File(mavenHome, System.getProperty('os.name').startsWith('Windows') ? 'bin/mvn.cmd' : 'bin/mvn')
def mvn = { String step ->
  def cmd = [launcher.absolutePath, '-B', '-o', '-ntp',
             '-Dmaven.repo.local=' + localRepositoryPath.absolutePath, 'compile']
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().put('JAVA_HOME', System.getProperty('java.home'))
  pb.environment().put('MAVEN_OPTS', '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC')
  def p = pb.start()
  def out = p.inputStream.text
  p.waitFor()
  new File(basedir, "build-${step}.log").text = out
  assert p.exitValue() == 0 : "${step} build failed:\n${out}"
  return out
}
def stamps = { ['Tiny.java', 'Other.java'].collectEntries { [it, new File(gen, it).lastModified()] } +
               ['Tiny.class'].collectEntries { [it, new File(classes, it).lastModified()] } }

// No-op rebuild: the state says everything is current and nothing is rewritten.
def before = stamps()
def out = mvn('noop')
assert out.contains('netc: 2 networks up to date') : out
assert !out.contains(' -> dev.example.') : out
assert stamps() == before : "timestamps changed: ${before} -> ${stamps()}"

// Edit a network: only its class is regenerated.
def tinyBefore = new File(gen, 'Tiny.java').text
new File(net, 'tiny.net').text = new File(basedir, 'edits/tiny.net').text
out = mvn('edit')
assert out.contains('netc: dev/example/tiny.net -> dev.example.Tiny') : out
assert out.contains('netc: 1 network up to date') : out
def tinyEdited = new File(gen, 'Tiny.java').text
assert tinyEdited != tinyBefore && tinyEdited.contains('Shape.of(6)')
assert new File(gen, 'Other.java').lastModified() == before['Other.java']

// Edit an imported block library: its dependent is regenerated, the unrelated network is not.
new File(net, 'lib/pair.net').text = new File(basedir, 'edits/pair.net').text
out = mvn('import')
assert out.contains('netc: dev/example/tiny.net -> dev.example.Tiny') : out
assert !out.contains('other.net ->') : out
assert new File(gen, 'Tiny.java').text != tinyEdited
assert new File(gen, 'Other.java').lastModified() == before['Other.java']

// Delete a source: its generated class goes, and so does the compiled one.
assert new File(net, 'other.net').delete()
out = mvn('delete')
assert out.contains('netc: removed Other.java') : out
assert !new File(gen, 'Other.java').exists()
assert !new File(classes, 'Other.class').exists()
assert new File(gen, 'Tiny.java').isFile()
return true
