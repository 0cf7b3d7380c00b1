// Tokenizes .net files with the grammar exactly as VS Code does (vscode-textmate on the Oniguruma regex engine)
// and checks them. Input (the file named on the command line, JSON):
//   { "files": [ { "path": "...", "expect": [ { "line": 0, "start": 4, "end": 9, "scope": "support.function.op" } ] } ] }
// where each expectation says that every grammar token overlapping [start, end) on that line (0-based, UTF-16
// columns) has a scope beginning with `scope`. Prints JSON: how many expectations were checked, those that failed,
// the non-blank text left with no scope of its own ("unscoped"), and how often each scope name was seen.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'net.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => scope === 'source.netc'
      ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  return registry.loadGrammar('source.netc');
}

/** Every line's grammar tokens: { startIndex, endIndex, scopes }. */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split('\n').map((raw) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const r = grammar.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return { line, tokens: r.tokens };
  });
}

function check(grammar, files) {
  const out = { files: files.length, checked: 0, failures: [], unscoped: [], seen: {} };
  for (const f of files) {
    const lines = tokenize(grammar, fs.readFileSync(f.path, 'utf8'));
    lines.forEach(({ line, tokens }, n) => {
      for (const t of tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        for (const s of t.scopes.slice(1)) out.seen[s] = (out.seen[s] || 0) + 1;
        if (text.trim() !== '' && t.scopes.length < 2) {
          out.unscoped.push(`${f.path}:${n + 1}:${t.startIndex + 1}: '${text}'`);
        }
      }
    });
    for (const e of f.expect || []) {
      out.checked++;
      const { line, tokens } = lines[e.line] || { line: '', tokens: [] };
      const over = tokens.filter((t) => t.startIndex < e.end && t.endIndex > e.start);
      const bad = over.filter((t) => !t.scopes.some((s) => s.startsWith(e.scope)));
      if (over.length === 0 || bad.length > 0) {
        const got = (bad[0] || { scopes: ['(no token)'] }).scopes.slice(1).join(' ');
        out.failures.push(`${f.path}:${e.line + 1}:${e.start + 1}: '${line.slice(e.start, e.end)}' (${e.type})`
          + ` should be ${e.scope}, is ${got || 'unscoped'}`);
      }
    }
  }
  return out;
}

module.exports = { loadGrammar, tokenize, check };

if (require.main === module) {
  (async () => {
    const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
    const result = check(await loadGrammar(), input.files);
    process.stdout.write(JSON.stringify(result) + '\n');
  })().catch((e) => {
    process.stderr.write(String(e && e.stack || e) + '\n');
    process.exit(2);
  });
}
