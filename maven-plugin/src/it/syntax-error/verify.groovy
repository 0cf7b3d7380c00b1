// The error is one clickable line with the absolute path (then the source line and a caret), and no stack trace.
def log = new File(basedir, 'build.log').text
def paths = [new File(basedir, 'src/main/net/dev/example/broken.net').absolutePath,
             new File(basedir, 'src/main/net/dev/example/broken.net').canonicalPath]
assert paths.any { log.contains("[ERROR] ${it}:3:13: error[NET001]: expected ')', found name 'pad'") } : log
assert log.contains('netc: 1 error in 1 file')
assert !(log =~ /(?m)^\s+at [\w.$]+\(/) : 'no stack trace'
def gen = new File(basedir, 'target/generated-sources/netc/dev/example')
assert !new File(gen, 'Broken.java').exists()
assert new File(gen, 'Fine.java').isFile() : 'the other file still compiles'
return true
