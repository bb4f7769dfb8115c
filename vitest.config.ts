import swc from "unplugin-swc";
import { defineConfig } from "vitest/config";

// One project per workspace so a single run ends with one summary. SWC keeps decorator metadata,
// which NestJS needs and esbuild drops.
const workspaces = [
  "packages/snapshot",
  "packages/bus",
  "packages/testkit",
  "apps/control-plane",
  "apps/gateway",
  "packages/e2e",
];

export default defineConfig({
  plugins: [swc.vite({ swcrc: false, jsc: { transform: { legacyDecorator: true, decoratorMetadata: true } } })],
  resolve: { conditions: ["switchboard-source"] },
  ssr: { resolve: { conditions: ["switchboard-source"] } },
  test: {
    globalSetup: ["packages/testkit/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: workspaces.map((root) => ({
      extends: true,
      test: {
        name: `@switchboard/${root.split("/")[1]}`,
        root,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        // End-to-end files start whole deployments (and `npm start` builds): one at a time.
        fileParallelism: root !== "packages/e2e",
      },
    })),
  },
});
