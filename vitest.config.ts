// Test projects by kind; DynamoDB Local starts once per run for the projects that use it.
import { defineConfig } from 'vitest/config';

// Node 20 is this project's local runtime by design (Lambda runs nodejs24.x); the SDK's notice about it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Tests provoke failures on purpose; the logger's warnings about them would bury the test report.
process.env.POWERTOOLS_LOG_LEVEL ??= 'CRITICAL';
// Handler tests would print a ColdStart metric line each; test/unit/embedded-metrics.test.ts turns them back on.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

export default defineConfig({
  test: {
    // Vitest's default on a machine of n cores is n - 1 workers: one on CI's two cores, where most test time is
    // waiting on DynamoDB Local, Chromium and the local servers rather than computing. Two workers use both cores.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Unit tests take milliseconds; 5 s (Vitest's default) was still missed by the few that load the SDK and
          // every handler while the other worker builds a stack or drives Chromium on the same two cores.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The API stack deploys portal/dist: built once here, so no test depends on a build by hand.
          globalSetup: ['test/support/portal-build.ts'],
          // Files of a worker share one module registry, so test/support/shared-synth.ts synthesizes each
          // configuration once for all of them (the tests only read the stacks).
          isolate: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
