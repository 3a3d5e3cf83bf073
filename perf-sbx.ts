const t0 = performance.now();
const { startSandbox } = await import('./electron/sandbox/index.ts');
const t1 = performance.now();
const s = await startSandbox({ stateDir: '/tmp/perf-sbx-xh6m/s' });
const t2 = performance.now();
console.log('import', Math.round(t1 - t0), 'start', Math.round(t2 - t1), 'process', Math.round(t2));
await s.stop();
process.exit(0);
