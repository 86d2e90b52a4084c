import { useEffect, useState, type ReactNode } from "react";

/**
 * Renders its children only in the browser, after hydration. Charts measure their container and
 * animate with requestAnimationFrame: rendered on the server they would only produce a hydration
 * mismatch. `fallback` keeps the layout's height meanwhile.
 */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <>{mounted ? children() : fallback}</>;
}
