import { join } from "node:path";
import { expect, it } from "vitest";

import { describeLocaleParity } from "../../shared/testing/locales";
import { REASON_CODES } from "../src/survey-logic";

// Only the numeric scale ends may read the same as English.
const { english } = describeLocaleParity(join(__dirname, "..", "locales"), (key) => key.startsWith("score."));

it("has a label for every reason code", () => {
  for (const code of REASON_CODES) expect(english[`reasons.${code}`]).toBeTruthy();
});
