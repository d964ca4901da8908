import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/** Debian's Chromium when present (Playwright cannot download its own browsers on our machines). */
export const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// Ports can be moved (E2E_APP_PORT / E2E_HUB_PORT) so two runs on one machine do not collide.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 4173);
export const HUB_PORT = Number(process.env.E2E_HUB_PORT ?? 4180);
const E2E_DIST = `.cache/e2e-dist-${APP_PORT}`;
/** Model hosts the e2e build's Content Security Policy allows besides the Hub. */
export const E2E_CONNECT_SRC = `http://127.0.0.1:${HUB_PORT} http://localhost:${HUB_PORT} http://127.0.0.1:1`;

export default defineConfig({
  testDir: 'e2e',
  // Per port, so two runs on one machine do not delete each other's traces.
  outputDir: `test-results/e2e-${APP_PORT}`,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'wasm',
      // The ≥ 300-photo shoot journey (@shoot) takes minutes: `npm run test:cull` runs it.
      grepInvert: process.env.E2E_SHOOT ? /@webgpu/ : /@webgpu|@shoot/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath, args: chromiumArgs },
      },
    },
    {
      name: 'webgpu',
      grep: /@webgpu/,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath,
          args: [
            ...chromiumArgs,
            '--enable-unsafe-webgpu',
            '--enable-features=Vulkan',
            '--use-angle=swiftshader',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // A build of its own, so a developer's `npm run build` cannot swap files under a running test.
      command: `npx vite build --outDir ${E2E_DIST} && npx vite preview --outDir ${E2E_DIST} --port ${APP_PORT} --strictPort`,
      // The build's Content Security Policy lets the app download from the Hub stand-in (and from
      // port 1, where the unreachable-host journey finds nobody listening).
      env: { CSP_CONNECT_SRC: E2E_CONNECT_SRC },
      url: `http://localhost:${APP_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
    },
    {
      command: `npx tsx scripts/hub-server.ts --port ${HUB_PORT}`,
      url: `http://localhost:${HUB_PORT}/health`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
  ],
});
