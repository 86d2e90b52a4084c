import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Text } from "@shopify/polaris";
import { useAppPath, useI18n } from "./I18n";

export interface HeatmapCell {
  r: number;
  f: number;
  segment: string;
  segmentLabel: string;
  customers: string;
  revenue: string;
  /** 0..1 of the busiest cell, for the colour. */
  intensity: number;
}

/** Cell colour on one hue (Polaris green), light to dark with the cell's share of the busiest cell. */
function cellStyle(intensity: number) {
  const alpha = 0.06 + 0.8 * intensity;
  return {
    background: `rgba(0, 128, 96, ${alpha.toFixed(3)})`,
    color: alpha > 0.5 ? "#fff" : "var(--p-color-text)",
  };
}

/**
 * The recency × frequency grid: recency score 5 (bought most recently) at the top, frequency score 5 on
 * the right, so Champions sit top right and Hibernating bottom left. A table, so it reads in order with
 * a screen reader and each cell is a link to those customers.
 */
export function RfmHeatmap({ cells }: { cells: HeatmapCell[][] }) {
  const { t } = useI18n();
  const path = useAppPath();
  const rows = [...cells].reverse();
  const border = "1px solid var(--p-color-border-secondary)";
  return (
    <div style={{ overflowX: "auto" }}>
      <table style={{ borderCollapse: "separate", borderSpacing: 4, width: "100%", tableLayout: "fixed" }}>
        <caption style={{ textAlign: "start", paddingBottom: 8 }}>
          <Text as="span" tone="subdued">
            {t("segments.gridCaption")}
          </Text>
        </caption>
        <thead>
          <tr>
            <th scope="col" style={{ width: 72 }}>
              <Text as="span" variant="bodySm" tone="subdued">
                {t("segments.rf")}
              </Text>
            </th>
            {[1, 2, 3, 4, 5].map((f) => (
              <th key={f} scope="col">
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("segments.frequencyScore", { score: f })}
                </Text>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row[0].r}>
              <th scope="row">
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("segments.recencyScore", { score: row[0].r })}
                </Text>
              </th>
              {row.map((cell) => (
                <td
                  key={cell.f}
                  style={{ ...cellStyle(cell.intensity), border, borderRadius: 8, padding: 0, height: 84, verticalAlign: "top" }}
                >
                  <RemixLink
                    to={path("/app/customers", { rfmSegment: cell.segment })}
                    style={{ display: "block", height: "100%", padding: 8, color: "inherit", textDecoration: "none" }}
                    aria-label={t("segments.cellLabel", {
                      r: cell.r,
                      f: cell.f,
                      segment: cell.segmentLabel,
                      customers: cell.customers,
                      revenue: cell.revenue,
                    })}
                  >
                    <BlockStack gap="050">
                      <span style={{ fontSize: 11, opacity: 0.85 }}>{cell.segmentLabel}</span>
                      <span style={{ fontWeight: 650, fontSize: 16 }}>{cell.customers}</span>
                      <span style={{ fontSize: 12 }}>{cell.revenue}</span>
                    </BlockStack>
                  </RemixLink>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
