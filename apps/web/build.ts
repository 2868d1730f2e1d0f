// Bundles the browser code (src/client) into dist/web/public: index.html, app.js, app.css.
// esbuild, because it bundles React, the message catalogues and the CSS in about a second with no
// configuration of its own; `npm start` runs it before serving the web app, `npm run build` too.
// Nothing is loaded from a CDN at run time, and index.html carries no inline script or style, so
// the web server's Content-Security-Policy can stay strict (script-src 'self'; style-src 'self').
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(__dirname, '..', '..');
export const DEFAULT_PUBLIC_DIR = join(root, 'dist', 'web', 'public');

const INDEX_HTML = `<!doctype html>
<html lang="fi">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Silta</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/app.css">
    <script src="/app.js" defer></script>
  </head>
  <body>
    <div id="root"><noscript>Silta needs JavaScript. Silta tarvitsee JavaScriptin. Silta behöver JavaScript.</noscript></div>
  </body>
</html>
`;

/** Writes the bundle to outDir (default dist/web/public) and answers that directory. */
export async function buildClient(outDir: string = DEFAULT_PUBLIC_DIR, options: { minify?: boolean } = {}): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(__dirname, 'src', 'client', 'index.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    minify: options.minify ?? true,
    sourcemap: 'linked',
    legalComments: 'linked',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    tsconfig: join(__dirname, 'tsconfig.json'),
  });
  writeFileSync(join(outDir, 'index.html'), INDEX_HTML);
  return outDir;
}

if (require.main === module) {
  buildClient(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (dir) => console.log(`web bundle written to ${dir}`),
    (error: Error) => {
      console.error(`the web bundle did not build: ${error.message}`);
      process.exit(1);
    },
  );
}
