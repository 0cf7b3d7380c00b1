// `npm test`: the grammar on the standard library's files, as VS Code tokenizes them. The full check, every token
// of the real lexer against the scope its kind should get, runs in the Maven build (GrammarTest in lsp/).
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { loadGrammar, check } = require('./check-grammar');

const STDLIB = path.join(__dirname, '..', '..', '..', '..', 'stdlib-models');

function netFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => d.isDirectory()
    ? netFiles(path.join(dir, d.name)) : d.name.endsWith('.net') ? [path.join(dir, d.name)] : []);
}

test('every token of the standard library gets a scope', async () => {
  const files = netFiles(STDLIB).map((p) => ({ path: p }));
  assert.ok(files.length > 30, `found ${files.length} files in ${STDLIB}`);
  const r = check(await loadGrammar(), files);
  assert.deepStrictEqual(r.unscoped, []);
  for (const s of ['comment.line.number-sign.netc', 'string.quoted.double.netc', 'storage.type.block.netc',
    'entity.name.function.block.netc', 'entity.name.type.network.netc', 'support.function.op.netc',
    'entity.name.label.netc', 'variable.parameter.netc', 'support.type.netc', 'variable.other.tensor.netc',
    'keyword.operator.arrow.netc', 'constant.numeric.integer.netc', 'constant.numeric.float.netc',
    'keyword.control.netc', 'keyword.other.structure.netc', 'constant.language.boolean.netc']) {
    assert.ok(r.seen[s] > 0, `no ${s} in the standard library`);
  }
});
