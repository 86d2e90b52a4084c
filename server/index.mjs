// `npm start`: node server/index.mjs build/server/index.js (in place of remix-serve, see app.mjs).
import { watch } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, installGlobals } from "@remix-run/node";
import { createApp } from "./app.mjs";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";
const buildArg = process.argv[2];
if (!buildArg) {
  console.error("Usage: node server/index.mjs <server-build-path>, e.g. build/server/index.js");
  process.exit(1);
}
const buildPath = path.resolve(buildArg);
const importBuild = async () => import(`${pathToFileURL(buildPath).href}?t=${(await stat(buildPath)).mtimeMs}`);

let build = await importBuild();
installGlobals({ nativeFetch: build.future.v3_singleFetch });
const development = process.env.NODE_ENV === "development";
if (development) {
  // `remix dev --manual` rebuilds; reload the build when it says so (build/version.txt changes).
  watch(path.dirname(buildPath), (_event, file) => {
    if (String(file).endsWith("version.txt")) importBuild().then((next) => broadcastDevReady((build = next)), console.error);
  });
}
const app = createApp({ build, currentBuild: development ? async () => build : undefined });
// PORT=0 takes a free port: the test stack starts the app that way (a port picked beforehand could be taken by
// another process before the app binds it) and learns the port over the IPC channel it opened.
const port = process.env.PORT === "0" ? 0 : Number(process.env.PORT) || 3000;
const onListen = () => {
  const bound = server.address().port;
  console.log(`[kinship] http://${process.env.HOST ?? "localhost"}:${bound}`);
  process.send?.({ listening: bound });
  if (development) void broadcastDevReady(build);
};
const server = process.env.HOST ? app.listen(port, process.env.HOST, onListen) : app.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) process.once(signal, () => server.close(console.error));
