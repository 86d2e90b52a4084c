import { useEffect, useState } from "preact/hooks";

import { MIN_BIRTH_YEAR, localDay } from "../../shared/birthday";
import type { RewardsHost } from "./host";
import {
  BIRTHDAY_ERROR_CODES,
  checkBirthdayForm,
  loadRewards,
  saveBirthday,
  type BirthdayErrors,
  type BirthdayField,
  type LiveCode,
  type MyRewards,
  type Offer,
  type PastAnswer,
  type Tier,
} from "./rewards";

type Load = { phase: "loading" } | { phase: "failed" } | { phase: "ready"; rewards: MyRewards };
type T = RewardsHost["translate"];

/** Value of the s-* element that fired the event (Polaris fields expose `value` / `checked`). */
const fieldValue = (event: Event) => {
  const value = (event.currentTarget as { value?: unknown } | null)?.value;
  return typeof value === "string" ? value.trim() : "";
};
const fieldChecked = (event: Event) => (event.currentTarget as { checked?: unknown } | null)?.checked === true;

export function MyRewardsPage({ host, now = () => new Date() }: { host: RewardsHost; now?: () => Date }) {
  const t = host.translate;
  const [load, setLoad] = useState<Load>({ phase: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const appUrl = host.appUrl;
    if (appUrl === null) {
      setLoad({ phase: "failed" });
      return;
    }
    let live = true;
    setLoad({ phase: "loading" });
    void loadRewards({ appUrl, getToken: host.getToken, fetch: host.fetch }, host.locale()).then((outcome) => {
      if (live) setLoad(outcome.kind === "ok" ? { phase: "ready", rewards: outcome.rewards } : { phase: "failed" });
    });
    return () => {
      live = false;
    };
  }, [attempt]);

  return (
    <s-page heading={t("page.heading")}>
      {load.phase === "loading" && (
        <s-section>
          <s-stack direction="inline" gap="base">
            <s-spinner accessibilityLabel={t("state.loading")} />
            <s-text>{t("state.loading")}</s-text>
          </s-stack>
        </s-section>
      )}
      {load.phase === "failed" && (
        <s-section>
          <s-banner tone="critical" heading={t("state.errorHeading")}>
            <s-stack gap="base">
              <s-paragraph>{t("state.error")}</s-paragraph>
              <s-button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
                {t("state.retry")}
              </s-button>
            </s-stack>
          </s-banner>
        </s-section>
      )}
      {load.phase === "ready" && (
        <Rewards host={host} rewards={load.rewards} today={localDay(now())} onSaved={(rewards) => setLoad({ phase: "ready", rewards })} />
      )}
    </s-page>
  );
}

function Rewards({
  host,
  rewards,
  today,
  onSaved,
}: {
  host: RewardsHost;
  rewards: MyRewards;
  today: string;
  onSaved: (r: MyRewards) => void;
}) {
  const t = host.translate;
  const empty = rewards.tier === null && rewards.codes.length === 0 && rewards.storeCredit === null && rewards.feedback.length === 0;
  return (
    <s-stack gap="base">
      {empty && (
        <s-section>
          <s-paragraph>{t("state.empty")}</s-paragraph>
        </s-section>
      )}
      {rewards.tier && <TierSection host={host} tier={rewards.tier} />}
      {!empty && <CodesSection host={host} codes={rewards.codes} timeZone={rewards.shop.ianaTimezone} />}
      {rewards.storeCredit && (
        <s-section heading={t("credit.heading")}>
          <s-stack gap="small-200">
            <s-text type="strong">{t("credit.balance", { amount: host.formatMoney(rewards.storeCredit.balance) })}</s-text>
            {rewards.storeCredit.expiresAt && (
              <s-text>{t("credit.expires", { date: host.formatInstant(rewards.storeCredit.expiresAt, rewards.shop.ianaTimezone) })}</s-text>
            )}
          </s-stack>
        </s-section>
      )}
      <BirthdaySection host={host} birthday={rewards.birthday} today={today} onSaved={onSaved} />
      {!empty && <FeedbackSection host={host} answers={rewards.feedback} timeZone={rewards.shop.ianaTimezone} />}
    </s-stack>
  );
}

/** "UAH 1,200 more to Gold", "Orders left to reach Gold: 2", or (a predicted-value program) "On your way to Gold". */
function toNextText(t: T, host: RewardsHost, next: NonNullable<Tier["next"]>): string {
  if (next.remaining) return t("tier.toNext", { amount: host.formatMoney(next.remaining), tier: next.name });
  if (next.remainingOrders !== null) return t("tier.toNextOrders", { count: host.formatNumber(next.remainingOrders), tier: next.name });
  return t("tier.toNextProgress", { tier: next.name });
}

function TierSection({ host, tier }: { host: RewardsHost; tier: Tier }) {
  const t = host.translate;
  const lifetime = tier.window === "lifetime";
  const counted =
    tier.metric === "orderCount" && tier.orders !== null
      ? t(lifetime ? "tier.ordersLifetime" : "tier.ordersRolling", { count: host.formatNumber(tier.orders) })
      : t(lifetime ? "tier.spendLifetime" : "tier.spendRolling", { amount: host.formatMoney(tier.spend) });
  return (
    <s-section heading={t("tier.heading")}>
      <s-stack gap="small-200">
        <s-text type="strong">{tier.current ? t("tier.current", { tier: tier.current.name }) : t("tier.none")}</s-text>
        {tier.next ? (
          <>
            <s-paragraph>{toNextText(t, host, tier.next)}</s-paragraph>
            <s-progress value={tier.progress} max={1} accessibilityLabel={t("tier.progressLabel", { tier: tier.next.name })} />
          </>
        ) : (
          <s-paragraph>{t("tier.top")}</s-paragraph>
        )}
        <s-text type="small">{counted}</s-text>
      </s-stack>
    </s-section>
  );
}

function offerText(t: T, host: RewardsHost, offer: Offer): string {
  if (offer.type === "percentage") return t("codes.percentage", { percent: host.formatNumber(offer.percent) });
  if (offer.type === "fixed_amount") return t("codes.fixedAmount", { amount: host.formatMoney(offer.amount) });
  return t("codes.freeShipping");
}

function CodesSection({ host, codes, timeZone }: { host: RewardsHost; codes: LiveCode[]; timeZone: string }) {
  const t = host.translate;
  return (
    <s-section heading={t("codes.heading")}>
      {codes.length === 0 ? (
        <s-paragraph>{t("codes.empty")}</s-paragraph>
      ) : (
        <s-stack gap="base">
          {codes.map((code, index) => {
            const id = `kinship-code-${index}`;
            return (
              <s-box key={code.code} padding="base" border="base" borderRadius="base">
                <s-stack gap="small-200">
                  {code.reasonLabel !== "" && <s-text type="small">{code.reasonLabel}</s-text>}
                  <s-text type="strong">{offerText(t, host, code.offer)}</s-text>
                  {code.minimumSubtotal && <s-text>{t("codes.minimum", { amount: host.formatMoney(code.minimumSubtotal) })}</s-text>}
                  <s-text>
                    {code.expiresAt ? t("codes.expires", { date: host.formatInstant(code.expiresAt, timeZone) }) : t("codes.noExpiry")}
                  </s-text>
                  <s-stack direction="inline" gap="base">
                    <s-text type="strong" data-code={code.code}>
                      {code.code}
                    </s-text>
                    <s-clipboard-item id={id} text={code.code} />
                    <s-button variant="secondary" commandFor={id} command="--copy">
                      {t("codes.copy")}
                    </s-button>
                  </s-stack>
                </s-stack>
              </s-box>
            );
          })}
        </s-stack>
      )}
    </s-section>
  );
}

function BirthdaySection({
  host,
  birthday,
  today,
  onSaved,
}: {
  host: RewardsHost;
  birthday: MyRewards["birthday"];
  today: string;
  onSaved: (r: MyRewards) => void;
}) {
  const t = host.translate;
  const [date, setDate] = useState(birthday.date ?? "");
  const [consent, setConsent] = useState(birthday.consented);
  const [errors, setErrors] = useState<BirthdayErrors>({});
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<"saved" | "removed" | "failed" | null>(null);
  const errorText = (field: BirthdayField) => {
    const code = errors[field];
    if (code === undefined) return undefined;
    return t((BIRTHDAY_ERROR_CODES as readonly string[]).includes(code) ? `errors.${code}` : "errors.generic");
  };

  const send = async (input: { birthday: string | null; consent: boolean }) => {
    if (host.appUrl === null) return;
    setSaving(true);
    setNotice(null);
    const outcome = await saveBirthday(input, { appUrl: host.appUrl, getToken: host.getToken, fetch: host.fetch }, host.locale());
    setSaving(false);
    if (outcome.kind === "ok") {
      setErrors({});
      setDate(outcome.rewards.birthday.date ?? "");
      setConsent(outcome.rewards.birthday.consented);
      setNotice(input.birthday === null ? "removed" : "saved");
      onSaved(outcome.rewards);
    } else if (outcome.kind === "rejected") {
      setErrors(outcome.fieldErrors);
    } else {
      setNotice("failed");
    }
  };

  const submit = () => {
    const problems = checkBirthdayForm(date, consent, today);
    setErrors(problems);
    if (Object.keys(problems).length === 0) void send({ birthday: date, consent: true });
  };

  return (
    <s-section heading={t("birthday.heading")}>
      <s-stack gap="base">
        <s-paragraph>{birthday.date ? t("birthday.known", { date: host.formatDay(birthday.date) }) : t("birthday.unknown")}</s-paragraph>
        {notice === "saved" && <s-banner tone="success">{t("birthday.saved")}</s-banner>}
        {notice === "removed" && <s-banner tone="success">{t("birthday.removed")}</s-banner>}
        {notice === "failed" && <s-banner tone="critical">{t("birthday.saveFailed")}</s-banner>}
        {birthday.editable && (
          <s-stack gap="small-200">
            <s-date-field
              name="birthday"
              label={t("birthday.label")}
              autocomplete="bday"
              allow={`${MIN_BIRTH_YEAR}-01-01--${today}`}
              value={date}
              error={errorText("birthday")}
              disabled={saving}
              onChange={(event: Event) => {
                setDate(fieldValue(event));
                setErrors(({ birthday: _dropped, ...rest }) => rest);
              }}
            />
            <s-checkbox
              name="consent"
              label={t("birthday.consent")}
              checked={consent}
              error={errorText("consent")}
              disabled={saving}
              onChange={(event: Event) => {
                setConsent(fieldChecked(event));
                setErrors(({ consent: _dropped, ...rest }) => rest);
              }}
            />
            <s-stack direction="inline" gap="base">
              <s-button variant="primary" loading={saving} onClick={submit}>
                {t("birthday.save")}
              </s-button>
              {birthday.date && (
                <s-button variant="secondary" disabled={saving} onClick={() => void send({ birthday: null, consent: false })}>
                  {t("birthday.remove")}
                </s-button>
              )}
            </s-stack>
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}

function FeedbackSection({ host, answers, timeZone }: { host: RewardsHost; answers: PastAnswer[]; timeZone: string }) {
  const t = host.translate;
  return (
    <s-section heading={t("feedback.heading")}>
      {answers.length === 0 ? (
        <s-paragraph>{t("feedback.empty")}</s-paragraph>
      ) : (
        <s-stack gap="base">
          {answers.map((answer) => (
            <s-stack key={answer.answeredAt} gap="small-300">
              <s-text type="strong">
                {t("feedback.score", { score: host.formatNumber(answer.score), date: host.formatInstant(answer.answeredAt, timeZone) })}
              </s-text>
              {answer.reasons.length > 0 && (
                <s-text>{t("feedback.reasons", { reasons: answer.reasons.map((r) => t(`feedbackReasons.${r}`)).join(", ") })}</s-text>
              )}
              {answer.comment && <s-text type="small">{t("feedback.comment", { comment: answer.comment })}</s-text>}
            </s-stack>
          ))}
        </s-stack>
      )}
    </s-section>
  );
}
