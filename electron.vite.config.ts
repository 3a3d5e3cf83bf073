// Build for the three runtimes: main (ESM, Node 24 inside Electron), preload (one CommonJS bundle that
// loads in a sandboxed renderer, so nothing may be left external but 'electron'), renderer (React).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

/**
 * pdf.js's data files, served from the app's own origin under /pdfjs/: Adobe's CMaps (Chinese text in fonts a PDF
 * does not embed cannot be read without them) and the standard fonts. Emitted into the build and answered by the
 * dev server; only plain file names from these two folders. (A copy plugin would be one more dependency for this.)
 */
function pdfjsData(): Plugin {
  const base = resolve(root, 'node_modules/pdfjs-dist');
  const folders = ['cmaps', 'standard_fonts'];
  const plainName = /^[A-Za-z0-9._-]+$/;
  return {
    name: 'mydata-pdfjs-data',
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const [folder, name, extra] = (req.url ?? '').replace(/\?.*$/, '').split('/').filter(Boolean);
        if (extra !== undefined || folder === undefined || name === undefined || !folders.includes(folder) || !plainName.test(name)) {
          next();
          return;
        }
        try {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(readFileSync(join(base, folder, name)));
        } catch {
          next();
        }
      });
    },
    generateBundle() {
      for (const folder of folders) {
        for (const name of readdirSync(join(base, folder))) {
          // Their licence files go along (the fonts' and CMaps' terms ask for it); the app serves only .bcmap/.pfb/.ttf.
          if (!plainName.test(name)) continue;
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: readFileSync(join(base, folder, name)) });
        }
      }
    },
  };
}

/**
 * Marks the entry chunk with V8's compile hint (`//# allFunctionsCalledOnLoad`, honoured since Chromium 136): V8
 * then compiles every function of the chunk with its top level, so they go into the code cache the window keeps,
 * instead of each being compiled lazily, one by one, on the main thread while the first screen renders (a trace of a
 * warm start showed ~300 such compiles, half of React's first render). The entry holds what the first screen runs
 * (React, the router, the shell); the lazy screens' chunks are left as they are. The comment must come first in the
 * file, before any function is parsed, so it is added once the chunk is otherwise final.
 */
function entryCompileHint(): Plugin {
  return {
    name: 'mydata-entry-compile-hint',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === 'chunk' && chunk.isEntry) chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        }
      },
    },
  };
}

/**
 * Main's build carries the renderer's first-frame module, whose components import their stylesheets: main renders
 * HTML only (the window loads the renderer's own stylesheet), so the CSS the bundler extracts for it is dropped.
 */
function noStylesheets(): Plugin {
  return {
    name: 'mydata-main-no-stylesheets',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const name of Object.keys(bundle)) if (name.endsWith('.css')) Reflect.deleteProperty(bundle, name);
      },
    },
  };
}

export default defineConfig({
  main: {
    plugins: [noStylesheets()],
    build: {
      outDir: 'out/main',
      // React and the router are bundled into the first frame's module (below): they are build-time dependencies
      // of the renderer, not installed beside a packaged app.
      externalizeDeps: { exclude: ['react', 'react-dom', 'react-router', 'scheduler'] },
      lib: {
        // The history's frame and export workers and the download spool's crypto worker are their own entries,
        // beside the main bundle (core/history/log.ts, export-file.ts and package/download-spool-crypto.ts find them there).
        entry: {
          index: resolve(root, 'electron/main/index.ts'),
          'history-frame-worker': resolve(root, 'electron/core/history/frame-worker.ts'),
          'history-export-worker': resolve(root, 'electron/core/history/export-worker.ts'),
          'spool-crypto-worker': resolve(root, 'electron/core/package/download-spool-worker.ts'),
          // The window's first frame rendered to HTML (renderer code, run by main's app:// handler: app-protocol.ts).
          'first-frame': resolve(root, 'renderer/src/first-frame.tsx'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        external: ['electron'],
        output: { entryFileNames: 'index.cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), pdfjsData(), entryCompileHint()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      emptyOutDir: true,
      rolldownOptions: {
        input: resolve(root, 'renderer/index.html'),
        output: {
          // Everything the first screen imports goes in the entry chunk (the lazy screens import from it): left to
          // itself the bundler split the modules the lazy screens share with the entry into three more chunks, which
          // the window had to fetch (each with its compiled code) and link before the entry could run.
          codeSplitting: { groups: [{ name: 'index', tags: ['$initial'] }] },
        },
      },
    },
  },
});
