/** Browser mode on 127.0.0.1, port 0, with the real handlers and store and a renderer folder the test writes. */
import fs from 'node:fs';
import path from 'node:path';
import { startWebApp, type WebApp } from '../../../src/main/web/app';
import { tempDir } from '../services/helpers';

export interface TestWebApp {
  app: WebApp;
  /** The temp folder: renderer/ and data/ live inside it. */
  root: string;
  port: number;
  close(): Promise<void>;
}

/** `files` are written under the renderer folder (index.html is always there); `outside` beside it. */
export async function startTestWebApp(
  token: string,
  files: Record<string, string> = {},
  outside: Record<string, string> = {},
): Promise<TestWebApp> {
  const root = tempDir('fedmem-web-');
  const renderer = path.join(root, 'renderer');
  const write = (base: string, rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), text);
  };
  write(renderer, 'index.html', '<!doctype html><title>FedMem</title><div id="app"></div>');
  for (const [rel, text] of Object.entries(files)) write(renderer, rel, text);
  for (const [rel, text] of Object.entries(outside)) write(root, rel, text);
  const app = await startWebApp({ dataDir: path.join(root, 'data'), rendererDir: renderer, port: 0, token });
  return {
    app,
    root,
    port: app.server.port,
    close: async () => {
      await app.close(10_000);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
