// Linked by routes that draw charts (classic compiler: the import is the stylesheet's URL).
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";

export const chartStylesLink = { rel: "stylesheet", href: vizStyles };
