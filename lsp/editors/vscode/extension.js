// The Netc extension: highlighting comes from the grammar; everything else from `netc lsp`, the language server,
// which this starts over stdio for the .net files of the window.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The options `netc lsp` is started with, from the `netc.*` settings. */
function serverOptions(config) {
  const command = config.get('path') || 'netc';
  return { command, args: ['lsp'], transport: TransportKind.stdio };
}

function clientOptions(config) {
  return {
    documentSelector: [
      { scheme: 'file', language: 'netc' },
      { scheme: 'untitled', language: 'netc' },
    ],
    initializationOptions: { inlayHints: config.get('inlayHints') === true },
    // Sends the `netc` settings as they change (the server turns inlay hints on and off).
    synchronize: { configurationSection: 'netc' },
  };
}

async function activate(context) {
  const config = vscode.workspace.getConfiguration('netc');
  client = new LanguageClient('netc', 'Netc language server', serverOptions(config), clientOptions(config));
  context.subscriptions.push(vscode.commands.registerCommand('netc.restartServer', () => client.restart()));
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
