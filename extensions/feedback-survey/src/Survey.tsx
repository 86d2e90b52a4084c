import { useEffect, useReducer, useRef } from "preact/hooks";

import { fetchSurveyConfig, submitFeedback } from "./api";
import type { SurveyHost } from "./host";
import {
  REASON_CODES,
  SCORES,
  MAX_COMMENT_LENGTH,
  MIN_BIRTH_YEAR,
  buildPayload,
  initialState,
  isLowScore,
  localDay,
  normalizeOrderId,
  reduce,
  resolveConfig,
  storageKey,
  type AnsweredRecord,
  type FieldErrors,
  type FieldName,
} from "./survey-logic";

const ERROR_CODES = ["required", "too_long", "invalid_date", "future_date", "implausible_year", "consent_required", "unknown_reason"];

/** Value of the s-* element that fired the event (Polaris fields expose `value` / `values`). */
function fieldValue(event: Event): string {
  const value = (event.currentTarget as { value?: unknown } | null)?.value;
  return typeof value === "string" ? value : "";
}
function fieldValues(event: Event): string[] {
  const values = (event.currentTarget as { values?: unknown } | null)?.values;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
}
function fieldChecked(event: Event): boolean {
  return (event.currentTarget as { checked?: unknown } | null)?.checked === true;
}

export function Survey({ host, now = () => new Date() }: { host: SurveyHost; now?: () => Date }) {
  const orderId = normalizeOrderId(host.orderId());
  const t = host.translate;
  const [state, dispatch] = useReducer(reduce, initialState);
  const config = resolveConfig(host.settings(), state.app);
  // The payload is built from the state at the moment "submit" was accepted.
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    if (!orderId) return;
    let live = true;
    const appUrl = host.appUrl;
    const canSubmit = appUrl !== null;
    const stored = host.storage.read(storageKey(orderId)).catch(() => null);
    // The threshold comes from the app, so "what went wrong" is asked exactly for the scores its queue takes.
    const app = appUrl === null ? Promise.resolve(null) : fetchSurveyConfig({ appUrl, getToken: host.getToken, fetch: host.fetch });
    void Promise.all([stored, app]).then(([answered, appConfig]) => {
      if (live) dispatch({ type: "opened", alreadyAnswered: answered != null, canSubmit, app: appConfig });
    });
    return () => {
      live = false;
    };
  }, [orderId]);

  useEffect(() => {
    if (state.phase !== "submitting" || !orderId || host.appUrl === null) return;
    const payload = buildPayload(stateRef.current, config, { orderId, locale: host.locale() });
    void submitFeedback(payload, { appUrl: host.appUrl, getToken: host.getToken, fetch: host.fetch }).then((outcome) => {
      if (outcome.kind === "ok") {
        void remember(host, orderId, "submitted");
        dispatch({ type: "submitSucceeded", reward: outcome.reward });
      } else if (outcome.kind === "rejected") {
        dispatch({ type: "submitRejected", fieldErrors: outcome.fieldErrors });
      } else {
        dispatch({ type: "submitFailed" });
      }
    });
  }, [state.phase]);

  if (!orderId || state.phase === "loading" || state.phase === "hidden") return null;

  if (state.phase === "thanks") {
    const low = state.score !== null && isLowScore(state.score, config);
    return (
      <s-section heading={t("thanks.heading")}>
        <s-stack gap="base">
          <s-paragraph>{t(low ? "thanks.low" : "thanks.high")}</s-paragraph>
          {state.reward && (
            <s-banner tone="success" heading={t("thanks.rewardHeading")}>
              <s-stack gap="small-200">
                <s-paragraph>{t("thanks.reward", { code: state.reward.code })}</s-paragraph>
                {state.reward.endsAt && (
                  <s-text type="small">{t("thanks.rewardEnds", { date: host.formatDate(new Date(state.reward.endsAt)) })}</s-text>
                )}
                <s-clipboard-item id="kinship-reward-code" text={state.reward.code} />
                <s-button variant="secondary" commandFor="kinship-reward-code" command="--copy">
                  {t("thanks.copy")}
                </s-button>
              </s-stack>
            </s-banner>
          )}
        </s-stack>
      </s-section>
    );
  }

  const errorText = (field: FieldName) => errorMessage(state.errors, field, t);
  const submitting = state.phase === "submitting";
  const low = state.score !== null && isLowScore(state.score, config);
  const today = localDay(now());

  return (
    <s-section heading={t("heading")}>
      <s-stack gap="base">
        <s-choice-list
          name="score"
          label={t("score.question")}
          variant="inline"
          values={state.score === null ? [] : [String(state.score)]}
          error={errorText("score")}
          disabled={submitting}
          onChange={(event: Event) => {
            const [picked] = fieldValues(event);
            if (picked !== undefined) dispatch({ type: "scored", score: Number(picked) });
          }}
        >
          {SCORES.map((score) => (
            <s-choice key={score} value={String(score)}>
              {String(score)}
            </s-choice>
          ))}
        </s-choice-list>
        <s-stack direction="inline" justifyContent="space-between">
          <s-text type="small">{t("score.low")}</s-text>
          <s-text type="small">{t("score.high")}</s-text>
        </s-stack>

        {state.phase !== "score" && low && (
          <s-stack gap="base">
            <s-choice-list
              name="reasons"
              label={t("reasons.label")}
              multiple
              values={state.reasons}
              error={errorText("reasons")}
              disabled={submitting}
              onChange={(event: Event) => dispatch({ type: "reasonsChanged", reasons: fieldValues(event) })}
            >
              {REASON_CODES.map((code) => (
                <s-choice key={code} value={code}>
                  {t(`reasons.${code}`)}
                </s-choice>
              ))}
            </s-choice-list>
            <s-text-area
              name="comment"
              label={t("comment.label")}
              rows={4}
              maxLength={MAX_COMMENT_LENGTH}
              value={state.comment}
              error={errorText("comment")}
              disabled={submitting}
              onInput={(event: Event) => dispatch({ type: "commentChanged", comment: fieldValue(event) })}
            />
          </s-stack>
        )}

        {state.phase !== "score" && config.askBirthday && (
          <s-stack gap="small-200">
            <s-date-field
              name="birthday"
              label={t("birthday.label")}
              autocomplete="bday"
              allow={`${MIN_BIRTH_YEAR}--${today}`}
              value={state.birthday}
              error={errorText("birthday")}
              disabled={submitting}
              onChange={(event: Event) => dispatch({ type: "birthdayChanged", birthday: fieldValue(event) })}
            />
            <s-text type="small">{t("birthday.details")}</s-text>
            <s-checkbox
              name="birthdayConsent"
              label={t("birthday.consent")}
              checked={state.birthdayConsent}
              error={errorText("birthdayConsent")}
              disabled={submitting}
              onChange={(event: Event) => dispatch({ type: "consentChanged", consent: fieldChecked(event) })}
            />
          </s-stack>
        )}

        {state.errors.form && <s-banner tone="critical">{errorText("form")}</s-banner>}

        <s-stack direction="inline" gap="base">
          <s-button variant="primary" loading={submitting} onClick={() => dispatch({ type: "submitRequested", today })}>
            {t("actions.submit")}
          </s-button>
          <s-button
            variant="secondary"
            disabled={submitting}
            onClick={() => {
              void remember(host, orderId, "dismissed");
              dispatch({ type: "dismissed" });
            }}
          >
            {t("actions.dismiss")}
          </s-button>
        </s-stack>
      </s-stack>
    </s-section>
  );
}

function errorMessage(errors: FieldErrors, field: FieldName, t: SurveyHost["translate"]): string | undefined {
  const code = errors[field]?.[0];
  if (code === undefined) return undefined;
  return t(ERROR_CODES.includes(code) ? `errors.${code}` : "errors.generic");
}

/** Storage is best effort (Shopify does not guarantee it); the backend is idempotent per order anyway. */
async function remember(host: SurveyHost, orderId: string, outcome: AnsweredRecord["outcome"]): Promise<void> {
  const record: AnsweredRecord = { at: new Date().toISOString(), outcome };
  try {
    await host.storage.write(storageKey(orderId), record);
  } catch {
    // Ignored: forgetting only means the survey may be offered once more.
  }
}
