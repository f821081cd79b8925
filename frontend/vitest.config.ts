import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Component and unit tests (jsdom). The browser run lives in e2e/ with its own config.
export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    css: false,
    testTimeout: 20000,
  },
});
