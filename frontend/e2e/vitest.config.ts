import { defineConfig } from 'vitest/config';

// The browser walk: a real backend (started by global-setup) serving the built console, driven in Chromium.
export default defineConfig({
  cacheDir: '../node_modules/.vite-e2e', // not inside e2e/
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000, // stopping the backend and its PostgreSQL takes longer than the default 10 s
    reporters: ['default'],
  },
});
