// Runs the packaged application with the jar and the runtime on the class path: the weights come out of the jar.
def jar = new File(basedir, 'target/model-in-jar-1.0.jar')
assert jar.isFile()
def entries = new java.util.zip.ZipFile(jar).withCloseable { z -> z.entries().collect { it.name } }
assert entries.contains('dev/example/affine.safetensors') && entries.contains('dev/example/Affine.class') : entries

def versions = new File(localRepositoryPath, 'dev/netc/netc-runtime').listFiles().findAll { it.isDirectory() }
assert versions.size() == 1 : versions
def runtime = versions[0].listFiles().find { it.name ==~ /netc-runtime-.*\.jar/ }
def java = new File(System.getProperty('java.home'), 'bin/java').absolutePath
def p = new ProcessBuilder([java, '--add-modules', 'jdk.incubator.vector', '-cp',
    jar.absolutePath + File.pathSeparator + runtime.absolutePath, 'dev.example.App'])
    .directory(basedir).redirectErrorStream(true).start()
def out = p.inputStream.text
p.waitFor()
new File(basedir, 'run.log').text = out
assert p.exitValue() == 0 : out
def lines = out.readLines().findAll { !it.startsWith('WARNING') }
assert lines == [
    'resource: jar',
    'resource: y = [1.5, 1.5]',
    'stream: y = [1.5, 1.5]',
    'strict: affine-extra.safetensors: 1 tensor the network does not use: fc2.weight (strict loading; '
        + 'LoadOptions.lenient() ignores them)',
    'lenient: y = [1.5, 1.5]',
    'cut: affine-cut.safetensors: tensor "fc.bias": data_offsets [32, 40] lie outside the data section of 37 bytes '
        + '(truncated file?)'] : out
return true
