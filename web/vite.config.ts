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
    // The Firestore transport test needs the emulator and its Python writer: it runs from
    // tests/contract/test_web_live_firestore.py, which sets FIRESTORE_EMULATOR_PORT.
    include: process.env.FIRESTORE_EMULATOR_PORT
      ? ["tests/firestore/**/*.test.ts"] : ["tests/unit/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
