import { useCallback, useEffect, useState, type ReactNode } from "react";
import { getShop } from "../models/shop.server";
import { recentSyncRuns } from "../models/sync-runs.server";
import { z } from "zod";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, type FetcherWithComponents } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  DropZone,
  FormLayout,
  InlineStack,
  Layout,
  Link,
  List,
  Modal,
  Page,
  RadioButton,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { translate, translatePlural } from "../i18n";
import { fieldErrors } from "../i18n/form-errors";
import { shopDay, utcOffset } from "../formatting";
import {
  birthdaysFormSchema,
  consentFormSchema,
  customerCapsFormSchema,
  feedbackFormSchema,
  feedbackFromForm,
  feedbackToForm,
  getShopSettings,
  kindPurposesFormSchema,
  lifecycleToForm,
  lifespanFormSchema,
  saveShopSettings,
} from "../models/shop-settings.server";
import { kindText } from "../i18n/rule-texts";
import { RULE_KINDS } from "../retention/rewards";
import { readModelState } from "../models/model-state.server";
import { MAX_IMPORT_BYTES } from "../models/birthday-import.server";
import { importBirthdays } from "../jobs/birthdays.server";
import { adminClientForShop } from "../jobs/admin-for-shop.server";
import { deleteShopData } from "../models/shop-data.server";
import { pageContext, pageMessages } from "../services/page-context.server";
import { loadSyncStatus, runBackfillAction } from "../services/sync-status.server";
import { formValues, saveLifecycleForm, type FormActionData } from "../services/lifecycle-settings.server";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { SyncStatusCard } from "../components/SyncStatusCard";
import { ShopifySegmentsCard } from "../components/ShopifySegmentsCard";
import { shopifySegmentsAction, shopifySegmentsView } from "../services/shopify-segments.server";
import { LifecycleSettingsForm, type LifecycleFormValues } from "../components/LifecycleSettingsForm";

const RECENT_RUNS = 5;
const ERRORS_SHOWN = 100;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale, format: f, timeZone, currency } = await pageContext(request);
  const [settings, sync, runs, shopRow, shopifySegments] = await Promise.all([
    getShopSettings(shop),
    loadSyncStatus(shop, f),
    recentSyncRuns(shop, RECENT_RUNS),
    getShop(shop),
    shopifySegmentsView(shop, locale),
  ]);
  const lifespan = readModelState(shopRow?.modelState).historic?.lifespan ?? null;
  const now = new Date();
  return json({
    locale,
    messages: pageMessages(locale, ["settings", "sync", "lifecycleForm", "import"]),
    shopifySegments,
    title: translate(locale, "settings.title"),
    shop,
    lifespan: {
      mode: settings.lifespanYears === null ? "auto" : "fixed",
      years: settings.lifespanYears === null ? "" : String(settings.lifespanYears),
      observed:
        lifespan?.observedYears != null
          ? translate(locale, "settings.lifespanObserved", {
              observed: f.number(lifespan.observedYears, { maximumFractionDigits: 1 }),
              used: f.number(lifespan.years, { maximumFractionDigits: 1 }),
            })
          : null,
    },
    lifecycle: lifecycleToForm(settings.lifecycle),
    consent: settings.consent.promotionalRequiresMarketingConsent,
    customerCaps: { perDay: String(settings.customerCaps.perDay), per30Days: String(settings.customerCaps.per30Days) },
    purposes: RULE_KINDS.map((kind) => ({ kind, label: kindText(locale, kind, "name"), purpose: settings.consent.kindPurposes[kind] })),
    feedback: feedbackToForm(settings.feedback),
    birthdayRules: { minNoticeDays: String(settings.birthdays.minNoticeDays), sendHour: String(settings.birthdays.sendHour) },
    timeZone: {
      zone: timeZone,
      offset: utcOffset(timeZone, now),
      now: f.dateTime(now),
      today: f.calendarDate(shopDay(now, timeZone)),
      currency,
    },
    sync,
    runs: runs.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      started: f.dateTime(r.startedAt),
      finished: r.finishedAt ? f.dateTime(r.finishedAt) : "—",
      rows: f.number(r.processedCount),
      error: r.error ?? "",
    })),
    maxImportMb: Math.round(MAX_IMPORT_BYTES / 1_000_000),
  });
};

type ImportActionData = FormActionData & {
  summary?: string;
  rowErrors?: { line: number; value: string; message: string }[];
  moreErrors?: string | null;
};

async function handleImport(
  shop: string,
  form: FormData,
  locale: Parameters<typeof translate>[0],
  timeZone: string,
): Promise<ImportActionData> {
  const csv = form.get("csv");
  if (typeof csv !== "string" || csv.trim() === "") {
    return { intent: "birthdays", ok: false, errors: { csv: translate(locale, "import.noFile") } };
  }
  // Through the one birthday writer: the local rows, then Shopify's facts.birth_date (what backfills read back).
  const result = await importBirthdays(shop, () => adminClientForShop(shop), csv, shopDay(new Date(), timeZone));
  if (result.shopifyError) console.error("birthday import: Shopify not updated", shop, result.shopifyError);
  if (result.fileError) {
    const message = translate(locale, `import.file.${result.fileError}` as "import.file.empty", {
      max: Math.round(MAX_IMPORT_BYTES / 1_000_000),
      rows: result.rows,
    });
    return { intent: "birthdays", ok: false, errors: { csv: message }, message };
  }
  const rowErrors = result.errors.slice(0, ERRORS_SHOWN).map((e) => ({
    line: e.line,
    value: e.value,
    message: translate(locale, `import.error.${e.code}` as "import.error.date", { firstLine: e.firstLine ?? "" }),
  }));
  return {
    intent: "birthdays",
    ok: result.errors.length === 0 && !result.shopifyError,
    // The lines are saved in Kinship; Shopify's copy is written when the file is imported again.
    message: result.shopifyError ? translate(locale, "import.shopifyFailed") : undefined,
    summary: translate(locale, "import.summary", {
      rows: result.rows,
      updated: result.updated,
      unchanged: result.unchanged,
      failed: result.errors.length,
    }),
    rowErrors,
    moreErrors:
      result.errors.length > ERRORS_SHOWN ? translatePlural(locale, "import.moreErrors", result.errors.length - ERRORS_SHOWN) : null,
  };
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, locale, timeZone } = await pageContext(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "backfill":
      return json(await runBackfillAction(shop, locale));
    case "lifecycle":
      return json(await saveLifecycleForm(shop, form, locale));
    case "shopifySegments": {
      const { status, body } = await shopifySegmentsAction(shop, form, locale);
      return json(body, { status });
    }
    case "lifespan": {
      const values = formValues(form, ["lifespanMode", "lifespanYears"]);
      const parsed = lifespanFormSchema.safeParse(values);
      if (!parsed.success)
        return json({ intent, ok: false, values, errors: fieldErrors(parsed.error, locale), message: translate(locale, "form.fixErrors") });
      await saveShopSettings(shop, { lifespanYears: parsed.data.lifespanMode === "fixed" ? parsed.data.lifespanYears : null });
      return json({ intent, ok: true, message: translate(locale, "settings.savedRecompute") });
    }
    case "consent": {
      const parsed = consentFormSchema.safeParse(formValues(form, ["promotionalRequiresMarketingConsent"]));
      if (!parsed.success) return json({ intent, ok: false, message: translate(locale, "form.invalid") }, { status: 400 });
      await saveShopSettings(shop, {
        consent: { promotionalRequiresMarketingConsent: parsed.data.promotionalRequiresMarketingConsent === "on" },
      });
      return json({ intent, ok: true, message: translate(locale, "settings.saved") });
    }
    case "customerCaps": {
      const values = formValues(form, ["perDay", "per30Days"]);
      const parsed = customerCapsFormSchema.safeParse(values);
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error, locale);
        // The one cross-field rule: 30 days allow at least a day's codes.
        if (parsed.error.issues.some((i) => i.code === "custom")) errors.per30Days = translate(locale, "settings.capsOrder");
        return json({ intent, ok: false, values, errors, message: translate(locale, "form.fixErrors") }, { status: 400 });
      }
      await saveShopSettings(shop, { customerCaps: parsed.data });
      return json({ intent, ok: true, message: translate(locale, "settings.saved") });
    }
    case "kindPurposes": {
      const parsed = kindPurposesFormSchema.safeParse(formValues(form, [...RULE_KINDS]));
      if (!parsed.success) return json({ intent, ok: false, message: translate(locale, "form.invalid") }, { status: 400 });
      await saveShopSettings(shop, { consent: { kindPurposes: parsed.data } });
      return json({ intent, ok: true, message: translate(locale, "settings.saved") });
    }
    case "feedback": {
      const values = formValues(form, ["lowScoreThreshold", "firstResponseTargetHours", "askAfterDays"]);
      const parsed = feedbackFormSchema.safeParse(values);
      if (!parsed.success) {
        return json(
          { intent, ok: false, values, errors: fieldErrors(parsed.error, locale), message: translate(locale, "form.fixErrors") },
          { status: 400 },
        );
      }
      // One threshold for the survey (it reads it from /api/feedback) and the follow-up queue.
      await saveShopSettings(shop, { feedback: feedbackFromForm(parsed.data) });
      return json({ intent, ok: true, message: translate(locale, "settings.saved") });
    }
    case "birthdays":
      return json(await handleImport(shop, form, locale, timeZone));
    case "birthdayRules": {
      const values = formValues(form, ["minNoticeDays", "sendHour"]);
      const parsed = birthdaysFormSchema.safeParse(values);
      if (!parsed.success) {
        return json(
          { intent, ok: false, values, errors: fieldErrors(parsed.error, locale), message: translate(locale, "form.fixErrors") },
          { status: 400 },
        );
      }
      await saveShopSettings(shop, { birthdays: parsed.data });
      return json({ intent, ok: true, message: translate(locale, "settings.saved") });
    }
    case "delete": {
      const schema = z.object({
        confirm: z
          .string()
          .trim()
          .refine((v) => v === shop),
      });
      const parsed = schema.safeParse(formValues(form, ["confirm"]));
      if (!parsed.success) return json({ intent, ok: false, errors: { confirm: translate(locale, "settings.deleteMismatch", { shop }) } });
      const deleted = await deleteShopData(shop);
      return json({
        intent,
        ok: true,
        message: translate(locale, "settings.deleted", {
          customers: deleted.customers,
          orders: deleted.orders,
          feedback: deleted.feedback,
          codes: deleted.issuedDiscounts,
        }),
      });
    }
    default:
      return json({ intent: "unknown", ok: false, message: translate(locale, "common.unknownAction") }, { status: 400 });
  }
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function ResultBanner({ result }: { result: FormActionData | null | undefined }) {
  if (!result?.message) return null;
  return (
    <Banner tone={result.ok ? "success" : "critical"}>
      <p>{result.message}</p>
    </Banner>
  );
}

/** A Settings card that saves one form: its intent, title and help, the result, and the Save button. */
function SettingsFormCard(props: {
  fetcher: FetcherWithComponents<FormActionData>;
  intent: string;
  title: string;
  help?: string;
  hidden?: Record<string, string>;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { fetcher, intent } = props;
  const result = fetcher.data?.intent === intent ? fetcher.data : null;
  return (
    <Card>
      <fetcher.Form method="post" noValidate>
        <input type="hidden" name="intent" value={intent} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {props.title}
          </Text>
          {props.help ? (
            <Text as="p" tone="subdued">
              {props.help}
            </Text>
          ) : null}
          <ResultBanner result={result} />
          {props.children}
          <InlineStack align="end">
            <Button submit variant="primary" loading={fetcher.state !== "idle"}>
              {t("settings.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}

function LifespanCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [mode, setMode] = useState(data.lifespan.mode);
  const [years, setYears] = useState(data.lifespan.years);
  const result = fetcher.data?.intent === "lifespan" ? fetcher.data : null;
  return (
    <SettingsFormCard
      fetcher={fetcher}
      intent="lifespan"
      title={t("settings.lifespanTitle")}
      help={t("settings.lifespanHelp")}
      hidden={{ lifespanMode: mode }}
    >
      <RadioButton
        label={t("settings.lifespanAuto")}
        helpText={data.lifespan.observed ?? undefined}
        checked={mode === "auto"}
        id="lifespan-auto"
        name="lifespanModeChoice"
        onChange={() => setMode("auto")}
      />
      <RadioButton
        label={t("settings.lifespanFixed")}
        checked={mode === "fixed"}
        id="lifespan-fixed"
        name="lifespanModeChoice"
        onChange={() => setMode("fixed")}
      />
      {mode === "fixed" ? (
        <Box maxWidth="240px">
          <TextField
            label={t("settings.lifespanYears")}
            name="lifespanYears"
            type="number"
            step={0.5}
            min={1}
            max={3}
            suffix={t("settings.years")}
            autoComplete="off"
            value={years}
            onChange={setYears}
            error={result && !result.ok ? result.errors?.lifespanYears : undefined}
          />
        </Box>
      ) : null}
    </SettingsFormCard>
  );
}

function TimeZoneCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const tz = data.timeZone;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("settings.timeZoneTitle")}
        </Text>
        <Text as="p">{t("settings.timeZone", { zone: tz.zone, offset: tz.offset })}</Text>
        <Text as="p">{t("settings.localTime", { now: tz.now, today: tz.today })}</Text>
        <Text as="p">{t("settings.currency", { currency: tz.currency })}</Text>
        <Text as="p" tone="subdued">
          {t("settings.timeZoneHelp")}{" "}
          <Link url="shopify:admin/settings/general" target="_top">
            {t("settings.timeZoneLink")}
          </Link>
        </Text>
      </BlockStack>
    </Card>
  );
}

function ConsentCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [checked, setChecked] = useState(data.consent);
  const result = fetcher.data?.intent === "consent" ? fetcher.data : null;
  const change = (value: boolean) => {
    setChecked(value);
    fetcher.submit({ intent: "consent", promotionalRequiresMarketingConsent: value ? "on" : "off" }, { method: "post" });
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("settings.consentTitle")}
        </Text>
        <ResultBanner result={result} />
        <Checkbox
          label={t("settings.consentLabel")}
          helpText={t("settings.consentHelp")}
          checked={checked}
          onChange={change}
          disabled={fetcher.state !== "idle"}
        />
        {!checked ? (
          <Banner tone="warning">
            <p>{t("settings.consentOffWarning")}</p>
          </Banner>
        ) : null}
        <KindPurposes data={data} />
      </BlockStack>
    </Card>
  );
}

/** Codes one customer may get across all rules, per day and per 30 days (applied by the daily run). */
function CustomerCapsCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [perDay, setPerDay] = useState(data.customerCaps.perDay);
  const [per30Days, setPer30Days] = useState(data.customerCaps.per30Days);
  const result = fetcher.data?.intent === "customerCaps" ? fetcher.data : null;
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <SettingsFormCard fetcher={fetcher} intent="customerCaps" title={t("settings.capsTitle")} help={t("settings.capsHelp")}>
      <FormLayout>
        <FormLayout.Group>
          <TextField
            label={t("settings.capsPerDay")}
            name="perDay"
            type="number"
            min={1}
            autoComplete="off"
            value={perDay}
            onChange={setPerDay}
            error={errors?.perDay}
          />
          <TextField
            label={t("settings.capsPer30Days")}
            name="per30Days"
            type="number"
            min={1}
            autoComplete="off"
            value={per30Days}
            onChange={setPer30Days}
            error={errors?.per30Days}
          />
        </FormLayout.Group>
      </FormLayout>
    </SettingsFormCard>
  );
}

/** A settings card's number fields: their typed values, and the errors its own intent's answer gave them. */
function useNumberFields<T extends Record<string, string>>(intent: string, initial: T) {
  const fetcher = useFetcher<FormActionData>();
  const [values, setValues] = useState(initial);
  const result = fetcher.data?.intent === intent ? fetcher.data : null;
  const field = (key: keyof T & string) => ({
    name: key,
    value: values[key],
    onChange: (value: string) => setValues((v) => ({ ...v, [key]: value })),
    error: result?.errors?.[key],
    autoComplete: "off",
    type: "number" as const,
  });
  return { fetcher, field };
}

/** The birthday anti-gaming wait and the hour (shop time) birthday codes and reminders go out. */
function BirthdayRulesCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const { fetcher, field } = useNumberFields("birthdayRules", data.birthdayRules);
  return (
    <SettingsFormCard fetcher={fetcher} intent="birthdayRules" title={t("settings.birthdayRulesTitle")}>
      <FormLayout>
        <TextField label={t("settings.birthdayNoticeLabel")} helpText={t("settings.birthdayNoticeHelp")} {...field("minNoticeDays")} />
        <TextField label={t("settings.birthdaySendHourLabel")} helpText={t("settings.birthdaySendHourHelp")} {...field("sendHour")} />
      </FormLayout>
    </SettingsFormCard>
  );
}

/** The low-score threshold (survey and follow-up queue) and the first-response target for low scores. */
function FeedbackRulesCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const { fetcher, field } = useNumberFields("feedback", data.feedback);
  return (
    <SettingsFormCard fetcher={fetcher} intent="feedback" title={t("settings.feedbackTitle")} help={t("settings.feedbackHelp")}>
      <FormLayout>
        <FormLayout.Group>
          <TextField
            label={t("settings.lowScoreThresholdLabel")}
            helpText={t("settings.lowScoreThresholdHelp")}
            min={0}
            max={9}
            {...field("lowScoreThreshold")}
          />
          <TextField
            label={t("settings.firstResponseTargetLabel")}
            helpText={t("settings.firstResponseTargetHelp")}
            suffix={t("settings.hours")}
            min={1}
            {...field("firstResponseTargetHours")}
          />
        </FormLayout.Group>
        <TextField
          label={t("settings.askAfterDaysLabel")}
          helpText={t("settings.askAfterDaysHelp")}
          suffix={t("settings.days")}
          min={1}
          max={60}
          {...field("askAfterDays")}
        />
      </FormLayout>
    </SettingsFormCard>
  );
}

/** Per rule kind: promotional (needs marketing consent) or service. Saved on change, all kinds at once. */
function KindPurposes({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [purposes, setPurposes] = useState<Record<string, string>>(() => Object.fromEntries(data.purposes.map((p) => [p.kind, p.purpose])));
  const result = fetcher.data?.intent === "kindPurposes" ? fetcher.data : null;
  const change = (kind: string, value: string) => {
    const next = { ...purposes, [kind]: value };
    setPurposes(next);
    fetcher.submit({ intent: "kindPurposes", ...next }, { method: "post" });
  };
  const options = [
    { label: t("settings.purpose.promotional"), value: "promotional" },
    { label: t("settings.purpose.service"), value: "service" },
  ];
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("settings.purposeTitle")}
      </Text>
      <Text as="p" tone="subdued">
        {t("settings.purposeHelp")}
      </Text>
      <ResultBanner result={result} />
      <FormLayout>
        {data.purposes.map((p) => (
          <Select
            key={p.kind}
            label={p.label}
            name={p.kind}
            options={options}
            value={purposes[p.kind]}
            onChange={(value) => change(p.kind, value)}
            disabled={fetcher.state !== "idle"}
          />
        ))}
      </FormLayout>
    </BlockStack>
  );
}

function SyncHistory({ data }: { data: Data }) {
  const { t } = useI18n();
  if (!data.runs.length) return null;
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h3" variant="headingSm">
          {t("settings.runsTitle")}
        </Text>
      </Box>
      <DataTable
        columnContentTypes={["text", "text", "text", "numeric", "text"]}
        headings={[
          t("settings.col.started"),
          t("settings.col.status"),
          t("settings.col.finished"),
          t("settings.col.rows"),
          t("settings.col.error"),
        ]}
        rows={data.runs.map((r) => [r.started, t(`sync.status.${r.status}`), r.finished, r.rows, r.error])}
      />
    </Card>
  );
}

function BirthdayImportCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<ImportActionData>();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [readError, setReadError] = useState<string | null>(null);
  const result = fetcher.data?.intent === "birthdays" ? fetcher.data : null;

  const onDrop = useCallback(
    (_all: File[], accepted: File[], rejected: File[]) => {
      setReadError(rejected.length ? t("import.wrongType") : null);
      const chosen = accepted[0];
      if (!chosen) return;
      if (chosen.size > data.maxImportMb * 1_000_000) {
        setReadError(t("import.file.tooLarge", { max: data.maxImportMb }));
        return;
      }
      setFile(chosen);
      chosen.text().then(setText, () => setReadError(t("import.unreadable")));
    },
    [data.maxImportMb, t],
  );

  const submit = () => fetcher.submit({ intent: "birthdays", csv: text }, { method: "post" });

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("import.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("import.help")}
        </Text>
        <Box background="bg-surface-secondary" padding="200" borderRadius="200">
          <pre style={{ margin: 0, fontSize: 12 }}>{t("import.example")}</pre>
        </Box>
        {readError ? (
          <Banner tone="critical">
            <p>{readError}</p>
          </Banner>
        ) : null}
        <DropZone
          accept=".csv,text/csv,text/plain"
          type="file"
          allowMultiple={false}
          onDrop={onDrop}
          label={t("import.fileLabel")}
          error={Boolean(result?.errors?.csv)}
        >
          {file ? (
            <Box padding="400">
              <Text as="p">{t("import.chosen", { name: file.name, size: Math.ceil(file.size / 1024) })}</Text>
            </Box>
          ) : (
            <DropZone.FileUpload actionHint={t("import.hint")} />
          )}
        </DropZone>
        <TextField
          label={t("import.pasteLabel")}
          multiline={4}
          autoComplete="off"
          value={text}
          onChange={(value) => {
            setText(value);
            setFile(null);
          }}
          error={result?.errors?.csv}
          maxHeight={200}
        />
        <InlineStack align="end">
          <Button variant="primary" onClick={submit} loading={fetcher.state !== "idle"} disabled={!text.trim()}>
            {t("import.submit")}
          </Button>
        </InlineStack>
        {result?.summary ? (
          <Banner tone={result.ok ? "success" : "warning"} title={result.summary}>
            {result.rowErrors?.length ? <p>{t("import.badRowsNotSaved")}</p> : null}
            {result.message ? <p>{result.message}</p> : null}
          </Banner>
        ) : null}
        {result?.rowErrors?.length ? (
          <BlockStack gap="200">
            <DataTable
              columnContentTypes={["numeric", "text", "text"]}
              headings={[t("import.col.line"), t("import.col.value"), t("import.col.problem")]}
              rows={result.rowErrors.map((e) => [e.line, e.value, e.message])}
            />
            {result.moreErrors ? (
              <Text as="p" tone="subdued">
                {result.moreErrors}
              </Text>
            ) : null}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function ExportCard() {
  const { t, locale } = useI18n();
  const path = useAppPath();
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");
  const download = async () => {
    setState("loading");
    try {
      // App Bridge adds the session token to the app's own fetches.
      const response = await fetch(path("/app/settings/export"));
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "kinship-export.json";
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = name;
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("idle");
    } catch {
      setState("failed");
    }
  };
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("settings.exportTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.exportHelp")}
        </Text>
        {state === "failed" ? (
          <Banner tone="critical">
            <p>{t("settings.exportFailed")}</p>
          </Banner>
        ) : null}
        <InlineStack>
          <Button onClick={download} loading={state === "loading"} accessibilityLabel={`${t("settings.exportButton")} (${locale})`}>
            {t("settings.exportButton")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function DeleteCard({ data }: { data: Data }) {
  const { t } = useI18n();
  const fetcher = useFetcher<FormActionData>();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const result = fetcher.data?.intent === "delete" ? fetcher.data : null;
  useEffect(() => {
    if (result?.ok) {
      setOpen(false);
      setConfirm("");
    }
  }, [result]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("settings.deleteTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("settings.deleteHelp")}
        </Text>
        {result?.ok ? <ResultBanner result={result} /> : null}
        <InlineStack>
          <Button tone="critical" onClick={() => setOpen(true)}>
            {t("settings.deleteButton")}
          </Button>
        </InlineStack>
      </BlockStack>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={t("settings.deleteConfirmTitle")}
        primaryAction={{
          content: t("settings.deleteConfirm"),
          destructive: true,
          loading: fetcher.state !== "idle",
          onAction: () => fetcher.submit({ intent: "delete", confirm }, { method: "post" }),
        }}
        secondaryActions={[{ content: t("settings.cancel"), onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">{t("settings.deleteConfirmBody")}</Text>
            <List>
              <List.Item>{t("settings.deleteWhat1")}</List.Item>
              <List.Item>{t("settings.deleteWhat2")}</List.Item>
              <List.Item>{t("settings.deleteWhat3")}</List.Item>
            </List>
            <FormLayout>
              <TextField
                label={t("settings.deleteType", { shop: data.shop })}
                autoComplete="off"
                value={confirm}
                onChange={setConfirm}
                error={result && !result.ok ? result.errors?.confirm : undefined}
              />
            </FormLayout>
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Card>
  );
}

function SettingsContent({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Page title={data.title}>
      <Layout>
        <Layout.AnnotatedSection title={t("settings.valueSection")} description={t("settings.valueSectionHelp")}>
          <BlockStack gap="400">
            <LifespanCard data={data} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("settings.thresholdsTitle")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("settings.thresholdsHelp")} <Link url={path("/app/segments")}>{t("settings.thresholdsLink")}</Link>
                </Text>
                <LifecycleSettingsForm initial={data.lifecycle as LifecycleFormValues} />
              </BlockStack>
            </Card>
            <ShopifySegmentsCard segments={data.shopifySegments} />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.shopSection")} description={t("settings.shopSectionHelp")}>
          <BlockStack gap="400">
            <TimeZoneCard data={data} />
            <ConsentCard data={data} />
            <CustomerCapsCard data={data} />
            <FeedbackRulesCard data={data} />
          </BlockStack>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("settings.dataSection")} description={t("settings.dataSectionHelp")}>
          <BlockStack gap="400">
            <SyncStatusCard sync={data.sync} />
            <SyncHistory data={data} />
            <BirthdayImportCard data={data} />
            <BirthdayRulesCard data={data} />
            <ExportCard />
            <DeleteCard data={data} />
          </BlockStack>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

export default function SettingsPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <SettingsContent data={data} />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
