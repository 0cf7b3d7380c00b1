// Each exceeded budget is one error line pointing at the network's declaration; the reports are still written.
def log = new File(basedir, 'build.log').text
def file = new File(basedir, 'src/main/net/models.net')
def lines = log.readLines()
def one = { String tail ->
  def hits = lines.findAll { l -> [file.absolutePath, file.canonicalPath].any { l == "[ERROR] ${it}${tail}" } }
  assert hits.size() == 1 : "expected one line ending '${tail}':\n${log}"
}
one(':1:9: error: network Tiny has 2,320 MACs, over the budget of 2,000')
one(':7:9: error: network Small has 15 params, over the budget of 10')
one(':12:9: error: network wide_head has 40 params, over the budget of 20')
assert log.contains('netc: 3 budgets exceeded')
// The limits in force, with the command line's named as such.
assert log.contains('[INFO] netc: budgets: MACs 2,000 (-Dnetc.maxMacs); Small: params 10, MACs 2,000; WideHead: params 20, MACs 2,000') : log
assert !(log =~ /(?m)^\s+at [\w.$]+\(/) : 'no stack trace'
assert new File(basedir, 'target/netc-reports/Tiny.md').isFile()
assert new File(basedir, 'target/netc-reports/Small.json').isFile()
return true
