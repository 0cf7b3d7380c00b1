// The README's project built first try: generated, compiled (with the README's snippet), reported within budget.
def log = new File(basedir, 'build.log').text
assert log.contains('netc: com/acme/vision/classifier.net -> com.acme.vision.Classifier') : log
assert log.contains('[INFO] netc: budgets: params 5,000,000, MACs 400,000,000; Classifier: params 5,000,000, MACs 2,000,000,000') : log
assert log.contains('netc: reports of 1 network') : log
assert new File(basedir, 'target/classes/com/acme/vision/ReadmeSnippet.class').isFile()
assert new File(basedir, 'target/classes/com/acme/vision/Classifier.class').isFile()
return true
