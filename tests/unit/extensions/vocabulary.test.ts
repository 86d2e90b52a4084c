import { SUPPORTED_LOCALES } from "../../../app/i18n";
import { reasonLabel } from "../../../app/i18n/rule-texts";
import { REASON_CODES as APP_REASON_CODES } from "../../../app/retention/feedback/reasons";
import { REWARD_KINDS } from "../../../app/retention/rewards/kinds";
import * as vocabulary from "../../../extensions/shared/vocabulary";
import { REASON_CODES } from "../../../extensions/shared/vocabulary";
import { REASON_LABELS } from "../../../extensions/my-rewards/tests/stand-in-backend";

// Extensions are bundled on their own and keep a copy of the codes they translate.
describe("codes the extensions translate", () => {
  it("keeps no list of reward kinds: the backend words each code's reason (reasonLabel)", () => {
    expect(Object.keys(vocabulary).sort()).toEqual(["REASON_CODES", "isOneOf"]);
  });

  it("knows the survey's reason codes, in the same order", () => {
    expect([...REASON_CODES]).toEqual([...APP_REASON_CODES]);
  });

  it("the My rewards page's stand-in backend words kinds' reasons as the app does", () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const reason of [REWARD_KINDS.birthday.reason, REWARD_KINDS.loyaltyTiers.reason]) {
        expect(REASON_LABELS[locale][reason], `${locale} ${reason}`).toBe(reasonLabel(locale, reason));
      }
    }
  });
});
