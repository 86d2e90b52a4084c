/**
 * The after-delivery survey page shoppers open from the link Flow sent (served through the shop's app
 * proxy as a whole HTML document: no Liquid, no script, no external resource). The questions are the
 * checkout survey's: a 0–10 score, what went wrong, a comment. Without script, "what went wrong" is
 * always shown and the server keeps reasons only for low scores, as the checkout survey asks them.
 * Rendered with renderToStaticMarkup, so every value (a comment included) is escaped as text.
 */
import { translate, type Locale, type MessageKey } from "../i18n";
import { MAX_COMMENT_LENGTH, MAX_SCORE, MIN_SCORE, REASON_CODES, type ReasonCode } from "../retention/feedback/reasons";

export type SurveyPageState =
  | { kind: "form"; orderName: string; action: string; values?: { score: string; reasons: string[]; comment: string }; errors?: string[] }
  | { kind: "thanks"; low: boolean }
  | { kind: "answered" }
  | { kind: "invalid" };

// Attribute values for browsers and robots, not words a shopper reads.
const VIEWPORT = "width=device-width, initial-scale=1";
const ROBOTS = "noindex";

const SCORES = Array.from({ length: MAX_SCORE - MIN_SCORE + 1 }, (_, i) => MIN_SCORE + i);

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f6f7;color:#202223}
main{max-width:40rem;margin:2rem auto;background:#fff;border-radius:12px;padding:1.5rem 2rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 .25rem}fieldset{border:0;padding:0;margin:1.25rem 0}legend{font-weight:600;margin-bottom:.5rem}
.scores{display:flex;flex-wrap:wrap;gap:.35rem}.scores label{display:flex;flex-direction:column;align-items:center;min-width:2.4rem;padding:.4rem;border:1px solid #c9cccf;border-radius:8px;cursor:pointer}
.scale{display:flex;justify-content:space-between;font-size:.85rem;color:#6d7175;margin-top:.35rem}
.reasons label{display:block;margin:.3rem 0}textarea{width:100%;min-height:6rem;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #c9cccf;border-radius:8px}
button{background:#303030;color:#fff;border:0;border-radius:8px;padding:.7rem 1.4rem;font:inherit;font-weight:600;cursor:pointer}
.errors{background:#fff4f4;border:1px solid #e0b3b2;border-radius:8px;padding:.75rem 1rem;margin:1rem 0}.muted{color:#6d7175}
`;

export function AfterDeliverySurvey({ locale, state }: { locale: Locale; state: SurveyPageState }) {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content={VIEWPORT} />
        <meta name="robots" content={ROBOTS} />
        <title>{t("survey.title")}</title>
        {/* A constant of this module (no input reaches it): as text, React would escape its quotes. */}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <main>
          <SurveyBody state={state} t={t} />
        </main>
      </body>
    </html>
  );
}

function SurveyBody({ state, t }: { state: SurveyPageState; t: (key: MessageKey, values?: Record<string, string | number>) => string }) {
  switch (state.kind) {
    case "thanks":
      return (
        <>
          <h1>{t("survey.thanks.heading")}</h1>
          <p>{t(state.low ? "survey.thanks.low" : "survey.thanks.high")}</p>
        </>
      );
    case "answered":
      return (
        <>
          <h1>{t("survey.answered.title")}</h1>
          <p className="muted">{t("survey.answered.body")}</p>
        </>
      );
    case "invalid":
      return (
        <>
          <h1>{t("survey.invalid.title")}</h1>
          <p className="muted">{t("survey.invalid.body")}</p>
        </>
      );
    case "form": {
      const values = state.values ?? { score: "", reasons: [], comment: "" };
      return (
        <form method="post" action={state.action}>
          <h1>{t("survey.title")}</h1>
          <p className="muted">{t("survey.order", { order: state.orderName })}</p>
          {state.errors?.length ? (
            <div className="errors" role="alert">
              <strong>{t("survey.error.title")}</strong>
              <ul>
                {state.errors.map((code) => (
                  <li key={code}>{t(`survey.errors.${code}` as MessageKey)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <fieldset>
            <legend>{t("survey.score.question")}</legend>
            <div className="scores">
              {SCORES.map((score) => (
                <label key={score}>
                  <input type="radio" name="score" value={String(score)} required defaultChecked={values.score === String(score)} />
                  {String(score)}
                </label>
              ))}
            </div>
            <div className="scale">
              <span>{t("survey.score.low")}</span>
              <span>{t("survey.score.high")}</span>
            </div>
          </fieldset>
          <fieldset className="reasons">
            <legend>{t("survey.reasonsHint")}</legend>
            {REASON_CODES.map((code: ReasonCode) => (
              <label key={code}>
                <input type="checkbox" name="reasons" value={code} defaultChecked={values.reasons.includes(code)} />{" "}
                {t(`survey.reason.${code}` as MessageKey)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>
              <label htmlFor="comment">{t("survey.comment.label")}</label>
            </legend>
            <textarea id="comment" name="comment" maxLength={MAX_COMMENT_LENGTH} defaultValue={values.comment} />
          </fieldset>
          <button type="submit">{t("survey.submit")}</button>
        </form>
      );
    }
  }
}
