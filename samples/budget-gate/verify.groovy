// The first build failed on the one budget line; the second, with -Dnetc.maxMacs=6M, passed its test and wrote
// the reports.
def log = new File(basedir, 'build.log').text
def net = new File(basedir, 'src/main/net/dev/netc/samples/budget/thumbnet.net')
def line = ':9:9: error: network ThumbNet has 5,992,960 MACs, over the budget of 5,000,000'
assert [net.absolutePath, net.canonicalPath].any { log.contains("[ERROR] ${it}${line}") } : log
assert log.contains('netc: 1 budget exceeded')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert log.contains('BUILD SUCCESS')
assert new File(basedir, 'target/netc-reports/ThumbNet.md').isFile()
return true
