// The app's HTTP server: what remix-serve did (compression, static assets, the Remix handler), plus
// two things it could not: request lines logged without credentials, and cross-site form posts
// answered with a 403 page instead of the empty 500 Remix's own origin check produces.
import { createRequire } from "node:module";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { crossSiteRefusal, refusalPage, requestLogLine } from "./guards.mjs";

const require = createRequire(import.meta.url);
const LOCALES = ["en", "uk", "ru", "hr"];
const catalogs = Object.fromEntries(LOCALES.map((locale) => [locale, require(`../app/i18n/catalogs/shared/${locale}.json`)]));

function localeOf(url) {
  const requested = (new URL(url, "http://request.invalid").searchParams.get("locale") ?? "").toLowerCase().split(/[-_]/)[0];
  return LOCALES.includes(requested) ? requested : "en";
}

function translatedPage(url, titleKey, bodyKey) {
  const locale = localeOf(url);
  const t = (key) => catalogs[locale][key] ?? catalogs.en[key];
  return refusalPage({ lang: locale, title: t(titleKey), body: t(bodyKey) });
}

/**
 * `currentBuild` (development) hands Remix the latest build on each request; `build` serves the assets.
 * @param {{ build: import("@remix-run/node").ServerBuild; currentBuild?: () => Promise<import("@remix-run/node").ServerBuild>; mode?: string; log?: (line: string) => void }} options
 */
export function createApp({ build, currentBuild, mode = process.env.NODE_ENV ?? "production", log = (line) => console.log(line) }) {
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(requestLogLine({ method: req.method, target: req.originalUrl, status: res.statusCode, ms }));
    });
    next();
  });
  app.use((req, res, next) => {
    const headers = { get: (name) => req.get(name) ?? null };
    if (!crossSiteRefusal({ method: req.method, url: req.originalUrl, headers })) return next();
    res
      .status(403)
      .type("html")
      .send(translatedPage(req.originalUrl, "security.crossSiteTitle", "security.crossSiteBody"));
  });
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build: currentBuild ?? build, mode }));
  return app;
}
