// Build for the three runtimes: main (ESM, Node 24 inside Electron), preload (one CommonJS bundle that
// loads in a sandboxed renderer, so nothing may be left external but 'electron'), renderer (React).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      lib: {
        // The history's frame worker is its own entry, beside the main bundle (core/history/log.ts finds it there).
        entry: { index: resolve(root, 'electron/main/index.ts'), 'history-frame-worker': resolve(root, 'electron/core/history/frame-worker.ts') },
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
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      emptyOutDir: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
