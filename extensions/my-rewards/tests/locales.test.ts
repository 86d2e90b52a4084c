import { join } from "node:path";
import { expect, it } from "vitest";

import { describeLocaleParity } from "../../shared/testing/locales";
import { REASON_CODES, REWARD_REASONS } from "../../shared/vocabulary";

const { english } = describeLocaleParity(join(__dirname, "..", "locales"));

it("words every reward reason and survey reason the backend may send, plus a fallback", () => {
  for (const reason of [...REWARD_REASONS, "other"]) expect(english[`reasons.${reason}`], reason).toBeTruthy();
  for (const code of REASON_CODES) expect(english[`feedbackReasons.${code}`], code).toBeTruthy();
});
