import { REWARD_REASONS as APP_REWARD_REASONS } from "../../../app/retention/rewards/kinds";
import { REASON_CODES as APP_REASON_CODES } from "../../../app/retention/feedback/reasons";
import { REASON_CODES, REWARD_REASONS } from "../../../extensions/shared/vocabulary";

// Extensions are bundled on their own and keep a copy of the codes they translate.
describe("codes the extensions translate", () => {
  it("knows every reward kind's reason code, and no other", () => {
    expect([...REWARD_REASONS].sort()).toEqual([...new Set(APP_REWARD_REASONS)].sort());
  });

  it("knows the survey's reason codes, in the same order", () => {
    expect([...REASON_CODES]).toEqual([...APP_REASON_CODES]);
  });
});
