/** Entry point of `dist/server.js`: `--stdio`, `--node-ipc` or `--socket=N`, chosen by vscode-languageserver. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

declare const SOURCEMARK_VERSION: string | undefined;

startServer(createConnection(ProposedFeatures.all), { version: typeof SOURCEMARK_VERSION === 'string' ? SOURCEMARK_VERSION : undefined });
