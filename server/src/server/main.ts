/** Entry point of `dist/server.js`: `--stdio`, `--node-ipc` or `--socket=N`, chosen by vscode-languageserver. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';
import { VERSION } from '../version';

startServer(createConnection(ProposedFeatures.all), { version: VERSION });
