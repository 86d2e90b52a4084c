// Bundles the server's worker-thread programs beside the Remix server build (build/server/), which has no
// separate file a Worker could start: the scoring worker (app/jobs/scoring-worker.server.ts) runs the
// recompute's CPU work off the event loop, the decision worker the daily issuance's decisions. Run after `remix build`; development and tests start the
// TypeScript entry through tsx instead (app/jobs/shop-scoring.server.ts).
//
//   node scripts/build-server-workers.mjs
import { build } from "esbuild";

const WORKERS = [
  { entry: "app/jobs/scoring-worker.server.ts", out: "build/server/scoring-worker.mjs" },
  // The daily issuance's decisions (decideDay), off the event loop as well (app/jobs/day-decisions.server.ts).
  { entry: "app/jobs/decision-worker.server.ts", out: "build/server/decision-worker.mjs" },
];

for (const { entry, out } of WORKERS) {
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Only the pure core and the analysis are bundled; the Node built-ins stay imports.
    packages: "external",
    logLevel: "warning",
  });
}
