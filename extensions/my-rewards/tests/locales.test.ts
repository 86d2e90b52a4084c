import { join } from "node:path";
import { expect, it } from "vitest";

import { describeLocaleParity } from "../../shared/testing/locales";
import { REASON_CODES } from "../../shared/vocabulary";

const { english } = describeLocaleParity(join(__dirname, "..", "locales"));

it("words every survey reason the backend may send, and no reward reason (the backend words those)", () => {
  expect(Object.keys(english).filter((key) => key.startsWith("reasons."))).toEqual([]);
  for (const code of REASON_CODES) expect(english[`feedbackReasons.${code}`], code).toBeTruthy();
});
