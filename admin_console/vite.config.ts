import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Served under /admin/ on the API's own origin (CloudFront's /admin/* behaviour; the local runtime's /admin/).
export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No source maps in what is deployed: the console's code is not a secret, but its maps would double the upload.
    sourcemap: false,
    // React Admin (with MUI) is most of the bundle; recharts only the dashboard's.
    chunkSizeWarningLimit: 1500,
  },
});
