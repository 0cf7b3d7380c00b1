// The client half: extension.js loads against the installed vscode-languageclient (with a stand-in for the
// `vscode` module, which only exists inside the editor) and starts `netc lsp` as the settings say.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const Module = require('module');

const settings = { path: '/opt/netc/netc', inlayHints: true };
// What the extension uses, and for whatever else the client library touches when it loads (classes it extends,
// enums it reads) a stand-in class.
const stub = () => new Proxy(class {}, { get: (c, k) => (k in c ? c[k] : (c[k] = stub())) });
const fakeVscode = new Proxy({
  workspace: { getConfiguration: () => ({ get: (k) => settings[k] }) },
  commands: { registerCommand: () => ({ dispose() {} }) },
}, { get: (o, k) => (k in o ? o[k] : (o[k] = stub())) });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };

test('the extension starts `netc lsp` over stdio with the settings', () => {
  const ext = require('../extension.js');
  const config = fakeVscode.workspace.getConfiguration('netc');
  const server = ext.serverOptions(config);
  assert.deepStrictEqual({ command: server.command, args: server.args }, { command: '/opt/netc/netc', args: ['lsp'] });
  const { TransportKind } = require('vscode-languageclient/node');
  assert.strictEqual(server.transport, TransportKind.stdio);
  const client = ext.clientOptions(config);
  assert.deepStrictEqual(client.initializationOptions, { inlayHints: true });
  assert.deepStrictEqual(client.documentSelector.map((d) => d.language), ['netc', 'netc']);
  assert.strictEqual(typeof ext.activate, 'function');
  assert.strictEqual(typeof require('vscode-languageclient/node').LanguageClient, 'function');
});
