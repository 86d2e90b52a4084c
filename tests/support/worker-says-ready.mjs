// A worker program for tests/support/worker-start-probe.ts.
import { parentPort } from "node:worker_threads";

parentPort.postMessage("ready");
