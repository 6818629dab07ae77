import { defineConfig } from "vitest/config";

// Pure logic runs in Node; tests that need a DOM opt in with a
// `// @vitest-environment happy-dom` comment at the top of the file.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
