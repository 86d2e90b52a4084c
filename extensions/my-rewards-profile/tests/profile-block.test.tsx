// @vitest-environment happy-dom
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { createFakeHost } from "../../shared/testing/fake-host";
import { find, mount, unmount } from "../../shared/testing/drive";
import { describeLocaleParity } from "../../shared/testing/locales";
import en from "../locales/en.default.json";
import hr from "../locales/hr.json";
import ru from "../locales/ru.json";
import uk from "../locales/uk.json";

const LOCALES = { en, uk, ru, hr };

describeLocaleParity(join(__dirname, "..", "locales"));

afterEach(unmount);

describe.each(Object.keys(LOCALES) as Array<keyof typeof LOCALES>)("the profile block in %s", (locale) => {
  it("links to the My rewards page by its extension handle, in the shopper's language", async () => {
    const fake = createFakeHost({ target: "customer-account.profile.block.render", locales: LOCALES, locale });
    await mount(fake, () => import("../src/ProfileBlock"));
    expect(find("s-section").getAttribute("heading")).toBe(LOCALES[locale].heading);
    const link = find("s-link");
    expect(link.getAttribute("href")).toBe("extension://my-rewards");
    expect(link.textContent).toBe(LOCALES[locale].link);
  });
});
