// Bundles the dashboard into dist/ for the server to embed: dist/index.html and icon.svg, dist/app.js (with the 3D viewer split
// into a chunk loaded when a structure is first shown) and dist/app.css. Run by the Dashboard project's build
// (`dotnet build`), or by hand with `npm run build`. Nothing the page needs is fetched from elsewhere at run time.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';

const dist = new URL('./dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await esbuild.build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  legalComments: 'linked',
  chunkNames: 'chunk-[hash]',
  outdir: 'dist',
  logLevel: 'warning',
});
await esbuild.build({
  entryPoints: { app: 'src/app.css' },
  bundle: true,
  minify: true,
  outdir: 'dist',
  logLevel: 'warning',
});
for (const name of ['index.html', 'icon.svg']) await copyFile(new URL(`./src/${name}`, import.meta.url), new URL(`./${name}`, dist));
await writeFile(new URL('./.stamp', dist), new Date().toISOString());
