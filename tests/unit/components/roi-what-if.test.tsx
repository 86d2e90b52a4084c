import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { describe, expect, it } from "vitest";
import { I18nProvider } from "../../../app/components/I18n";
import { RoiWhatIfCard, type RoiWhatIfProps } from "../../../app/components/RoiWhatIfCard";
import { messagesFor } from "../../../app/i18n";

function render(props: RoiWhatIfProps): string {
  return renderToString(
    <AppProvider i18n={en}>
      <I18nProvider locale={props.locale} messages={messagesFor(props.locale, ["common", "dashboard"])}>
        <RoiWhatIfCard {...props} />
      </I18nProvider>
    </AppProvider>,
  );
}

const inputs = { firstTimeBuyersPerMonth: 40, extraOrdersPerReturningCustomer: 1.5, averageOrderValue: 60 };

describe("the dashboard's ROI what-if", () => {
  it("shows the shop's numbers, which are measured, and the outcome at the stored lift", () => {
    const html = render({ inputs, extraOrdersMeasured: true, liftPoints: 10, currency: "EUR", locale: "en" });
    // 40 × 10% × 1.5 = 6 extra orders; × 60 = 360 a month.
    expect(html).toContain("About 6 extra orders and €360.00 extra revenue a month");
    expect(html).toContain("40 · measured");
    expect(html).toContain("1.5 · measured");
    expect(html).toContain("€60.00 · measured");
    expect(html).not.toContain("assumed");
  });

  it("says when the orders after the first are assumed, in the admin's language", () => {
    const html = render({ inputs, extraOrdersMeasured: false, liftPoints: 5, currency: "UAH", locale: "uk" });
    expect(html).toContain("1,5 · припущення");
    expect(html).toContain("40 · виміряно");
  });
});
