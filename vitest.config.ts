// Unit, integration and smoke tests run in plain Node 24: nothing here may import 'electron' (the smoke test
// gives the built main bundle a test double of it, test/smoke/electron-double.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/smoke/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
