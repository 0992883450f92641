/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import {defineConfig} from "vite";

// The build is a static site: hashed assets under /assets/ (cached for a year by the host),
// index.html and /config.js (the runtime configuration, replaced per environment) uncached.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    modulePreload: {polyfill: false},
  },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
