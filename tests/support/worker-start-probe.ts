// Run as its own process by tests/unit/jobs/worker-program.test.ts, with the preloads the demo and the browser
// tests give the app: starts a worker as the built server starts its bundles (a module file, not evaluated
// source) and prints the first thing it says, or its error.
import { startWorker } from "../../app/jobs/worker-program.server";

const worker = startWorker({ program: new URL("./worker-says-ready.mjs", import.meta.url), evaluate: false });
worker.once("message", (message: string) => {
  console.log(`message:${message}`);
  void worker.terminate();
});
worker.once("error", (error) => console.log(`error:${error.message}`));
