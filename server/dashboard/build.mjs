// Bundles the dashboard into one folder (index.html, app.js, app.css): `node build.mjs OUT_DIR`.
// Run by the Feedback.Server build (MSBuild target BuildDashboard), which embeds the folder into the app.
import { build } from "esbuild";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";

const out = path.resolve(process.argv[2] ?? "dist");
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  outdir: out,
  loader: { ".css": "css" },
  logLevel: "warning",
});
await copyFile("src/index.html", path.join(out, "index.html"));
console.log(`dashboard bundled into ${out}`);
