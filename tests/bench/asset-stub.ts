/**
 * For bench children that load route modules: Remix's compiler turns `import x from "….css"` into the
 * stylesheet's URL; under plain Node such an import fails. This hook answers any .css import with a
 * placeholder URL. Register it before the routes are imported (they must then be imported dynamically).
 */
import { register } from "node:module";

const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier.endsWith(".css")) return { url: "kinship-asset:" + specifier, shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith("kinship-asset:")) return { format: "module", source: "export default " + JSON.stringify(url), shortCircuit: true };
  return next(url, context);
}
`;

register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
