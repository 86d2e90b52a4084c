/**
 * Each reward kind's own part of the rule form (the name, on/off, guardrails and preview are the
 * page's). Keyed by kind and checked by the compiler against the registry: a new kind does not
 * compile until it has its fields here.
 */
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { Fragment, type ComponentProps, type ReactNode } from "react";
import {
  BULK_DELIVERY_MIN_CODES,
  MAX_ORDER_MILESTONES,
  ORDER_MILESTONE_MAX,
  ORDER_MILESTONE_MIN,
  ORDER_MILESTONE_RECENT_DAYS,
  REWARD_KINDS,
  SHARED_DISCOUNT_MIN_CODES,
  WELCOME_BACK_RECENT_DAYS,
  type CombinesWith,
  type RuleKind,
} from "../../retention/rewards";
import { useI18n } from "../I18n";

export type FormValues = Record<string, string>;

export interface KindFieldsProps {
  values: FormValues;
  set: (key: string) => (value: string) => void;
  setBool: (key: string) => (checked: boolean) => void;
  error: (key: string) => string | undefined;
  field: (key: string, label: string, extra?: Partial<ComponentProps<typeof TextField>>) => ReactNode;
  currencyCode: string;
  knownTiers: readonly string[];
  segments: readonly { id: string; label: string }[];
  tierIndexes: number[];
  addTier: () => void;
  removeTier: (index: number) => void;
}

/** Reward type, amount and (optionally) "no code" for one reward at `at` ("reward." or "tiers.0.reward."). */
export function RewardFields({
  at: prefix,
  allowNone = false,
  noneLabel,
  ...p
}: KindFieldsProps & { at: string; allowNone?: boolean; noneLabel?: string }) {
  const { t } = useI18n();
  const type = p.values[`${prefix}type`] ?? (allowNone ? "none" : "percentage");
  const options = [
    { label: t("rules.reward.percentage"), value: "percentage" },
    { label: t("rules.reward.fixedAmount"), value: "fixedAmount" },
    { label: t("rules.reward.freeShipping"), value: "freeShipping" },
    { label: t("rules.reward.storeCredit"), value: "storeCredit" },
  ];
  return (
    <FormLayout.Group>
      <Select
        label={t("rules.reward.label")}
        options={allowNone ? [{ label: noneLabel ?? t("rules.reward.none"), value: "none" }, ...options] : options}
        value={type}
        onChange={p.set(`${prefix}type`)}
        error={p.error(prefix.slice(0, -1))}
      />
      {type === "percentage" && p.field(`${prefix}percentage`, t("rules.reward.percentageOff"), { type: "number", suffix: "%" })}
      {type === "fixedAmount" && p.field(`${prefix}amount`, t("rules.reward.amountOff"), { type: "number", suffix: p.currencyCode })}
      {type === "storeCredit" &&
        p.field(`${prefix}amount`, t("rules.reward.creditAmount"), {
          type: "number",
          suffix: p.currencyCode,
          helpText: t("rules.help.storeCredit"),
        })}
    </FormLayout.Group>
  );
}

const COMBINE_CLASSES = ["productDiscounts", "orderDiscounts", "shippingDiscounts"] as const satisfies readonly (keyof CombinesWith)[];

/**
 * Which of the shop's other discount classes the rule's codes combine with. Unset, the kind's default
 * applies (shown checked as it is, with why); changing one box sets all three, so the rule then
 * carries the merchant's full choice.
 */
export function CombinesWithFields({ kind, ...p }: Pick<KindFieldsProps, "values" | "setBool" | "error"> & { kind: RuleKind }) {
  const { t } = useI18n();
  const fallback = REWARD_KINDS[kind].combinesWith;
  const current = (c: keyof CombinesWith) => {
    const v = p.values[`combinesWith.${c}`];
    return v === undefined || v === "" ? fallback[c] : v === "true";
  };
  const change = (c: keyof CombinesWith) => (checked: boolean) => {
    for (const other of COMBINE_CLASSES) p.setBool(`combinesWith.${other}`)(other === c ? checked : current(other));
  };
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("rules.combines.title")}
      </Text>
      <Text as="p" tone="subdued">
        {t("rules.combines.help")} {t(`rules.kind.${kind}.combinesHelp`)}
      </Text>
      {/* Shared or own discount (docs/decisions/021): what a code is bound to. */}
      <Text as="p" tone="subdued">
        {t(`rules.issuedAs.${REWARD_KINDS[kind].issuedAs}`, { minimum: SHARED_DISCOUNT_MIN_CODES })}
      </Text>
      {/* Large runs reach customers through their reward metafield, not Flow (docs/decisions/024). */}
      {REWARD_KINDS[kind].issuedAs === "audience" && (
        <Text as="p" tone="subdued">
          {t("rules.issuedAs.audienceBulkDelivery", { bulkMinimum: BULK_DELIVERY_MIN_CODES })}
        </Text>
      )}
      {COMBINE_CLASSES.map((c) => (
        <Checkbox key={c} label={t(`rules.combines.${c}`)} checked={current(c)} onChange={change(c)} error={p.error(`combinesWith.${c}`)} />
      ))}
    </BlockStack>
  );
}

/**
 * A/B between two offers: a second reward for a share of the eligible customers (the holdout keeps its
 * share, offer A the rest). Kinds whose rewards are per tier have none.
 */
export function OfferBFields({ kind, ...p }: KindFieldsProps & { kind: RuleKind }) {
  const { t } = useI18n();
  if (REWARD_KINDS[kind].tierNames) return null;
  const testing = (p.values["offerB.reward.type"] ?? "none") !== "none";
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {t("rules.offerB.title")}
      </Text>
      <Text as="p" tone="subdued">
        {t("rules.offerB.help")}
      </Text>
      <RewardFields {...p} at="offerB.reward." allowNone noneLabel={t("rules.offerB.none")} />
      {testing && p.field("offerB.share", t("rules.offerB.share"), { type: "number", suffix: "%", helpText: t("rules.offerB.shareHelp") })}
    </BlockStack>
  );
}

/** The card for kinds whose whole rule grants one reward. */
function RewardCard(p: KindFieldsProps) {
  const { t } = useI18n();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("rules.reward.title")}
        </Text>
        <FormLayout>
          <RewardFields {...p} at="reward." />
          {p.field("minimumSubtotal", t("rules.field.minimumSubtotal"), {
            type: "number",
            suffix: p.currencyCode,
            helpText: t("rules.help.emptyForNone"),
          })}
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

function LoyaltyTiersFields(p: KindFieldsProps) {
  const { t } = useI18n();
  const days = t("rules.unit.days");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("rules.kind.loyaltyTiers.tiers")}
        </Text>
        <FormLayout>
          <FormLayout.Group>
            <Select
              label={t("rules.kind.loyaltyTiers.metric")}
              options={[
                { label: t("rules.kind.loyaltyTiers.metric.netSpend"), value: "netSpend" },
                { label: t("rules.kind.loyaltyTiers.metric.orderCount"), value: "orderCount" },
                { label: t("rules.kind.loyaltyTiers.metric.predictedClv"), value: "predictedClv" },
              ]}
              value={p.values.metric ?? "netSpend"}
              onChange={p.set("metric")}
              error={p.error("metric")}
            />
            <Select
              label={t("rules.kind.loyaltyTiers.window")}
              options={[
                { label: t("rules.kind.loyaltyTiers.window.lifetime"), value: "lifetime" },
                { label: t("rules.kind.loyaltyTiers.window.rolling12m"), value: "rolling12m" },
              ]}
              value={p.values.window ?? "lifetime"}
              onChange={p.set("window")}
              error={p.error("window")}
              disabled={p.values.metric === "predictedClv"}
            />
          </FormLayout.Group>
          <FormLayout.Group>
            {p.field("graceDays", t("rules.kind.loyaltyTiers.graceDays"), { type: "number", suffix: days })}
            {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: days })}
          </FormLayout.Group>
          <Checkbox
            label={t("rules.kind.loyaltyTiers.oncePerCustomer")}
            checked={p.values.oncePerCustomer !== "false"}
            onChange={p.setBool("oncePerCustomer")}
          />
          {p.error("tiers") && (
            <Text as="p" tone="critical">
              {p.error("tiers")}
            </Text>
          )}
          {p.tierIndexes.map((i) => (
            <Card key={i} background="bg-surface-secondary">
              <FormLayout>
                <FormLayout.Group>
                  {p.field(`tiers.${i}.name`, t("rules.kind.loyaltyTiers.tierName", { n: i + 1 }))}
                  {p.field(`tiers.${i}.threshold`, t("rules.kind.loyaltyTiers.threshold"), { type: "number" })}
                </FormLayout.Group>
                <RewardFields {...p} at={`tiers.${i}.reward.`} allowNone />
                {p.field(`tiers.${i}.minimumSubtotal`, t("rules.field.minimumSubtotal"), { type: "number", suffix: p.currencyCode })}
                <InlineStack align="end">
                  <Button tone="critical" variant="plain" onClick={() => p.removeTier(i)}>
                    {t("rules.kind.loyaltyTiers.removeTier")}
                  </Button>
                </InlineStack>
              </FormLayout>
            </Card>
          ))}
          <Button onClick={p.addTier} disabled={p.tierIndexes.length >= 10}>
            {t("rules.kind.loyaltyTiers.addTier")}
          </Button>
        </FormLayout>
      </BlockStack>
    </Card>
  );
}

/** The code's window around a yearly date and its reminders (kinds built on the birthday window engine). */
function DateWindowFields({ of: kind, ...p }: KindFieldsProps & { of: "birthday" | "firstOrderAnniversary" }) {
  const { t } = useI18n();
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout>
          <FormLayout.Group>
            {p.field("windowDaysBefore", t(`rules.kind.${kind}.windowDaysBefore`), { type: "number" })}
            {p.field("windowDaysAfter", t(`rules.kind.${kind}.windowDaysAfter`), { type: "number" })}
          </FormLayout.Group>
          {p.field("reminders", t(`rules.kind.${kind}.reminders`), { helpText: t(`rules.kind.${kind}.remindersHelp`) })}
          <Checkbox
            label={t(`rules.kind.${kind}.lastChance`)}
            checked={p.values.lastChance === "true"}
            onChange={p.setBool("lastChance")}
            error={p.error("lastChance")}
          />
        </FormLayout>
      </Card>
    </>
  );
}

const BirthdayFields = (p: KindFieldsProps) => <DateWindowFields {...p} of="birthday" />;
const FirstOrderAnniversaryFields = (p: KindFieldsProps) => <DateWindowFields {...p} of="firstOrderAnniversary" />;

function SecondOrderFields(p: KindFieldsProps) {
  const { t } = useI18n();
  const days = t("rules.unit.days");
  const timing = p.values.timing ?? "afterFirstOrder";
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout>
          <Select
            label={t("rules.kind.secondOrder.timing")}
            options={[
              { label: t("rules.kind.secondOrder.timing.afterFirstOrder"), value: "afterFirstOrder" },
              { label: t("rules.kind.secondOrder.timing.beforeLapse"), value: "beforeLapse" },
            ]}
            value={timing}
            onChange={p.set("timing")}
            error={p.error("timing")}
          />
          {timing === "beforeLapse"
            ? p.field("daysBeforeLapse", t("rules.kind.secondOrder.daysBeforeLapse"), {
                type: "number",
                suffix: days,
                helpText: t("rules.kind.secondOrder.beforeLapseHelp"),
              })
            : p.field("daysAfterFirstOrder", t("rules.kind.secondOrder.daysAfterFirstOrder"), { type: "number", suffix: days })}
          {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: days })}
          <Text as="p" tone="subdued">
            {t("rules.kind.secondOrder.once")}
          </Text>
        </FormLayout>
      </Card>
    </>
  );
}

function WinbackFields(p: KindFieldsProps) {
  const { t } = useI18n();
  const days = t("rules.unit.days");
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout.Group>
          {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: days })}
          {p.field("cooldownDays", t("rules.kind.winback.cooldownDays"), { type: "number", suffix: days })}
        </FormLayout.Group>
      </Card>
    </>
  );
}

function HolidayCampaignFields(p: KindFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout>
          <FormLayout.Group>
            {p.field("startsAt", t("rules.kind.holidayCampaign.startsAt"), { type: "date" })}
            {p.field("endsAt", t("rules.kind.holidayCampaign.endsAt"), { type: "date" })}
          </FormLayout.Group>
          <Select
            label={t("rules.kind.holidayCampaign.recurrence")}
            options={[
              { label: t("rules.kind.holidayCampaign.recurrence.once"), value: "once" },
              { label: t("rules.kind.holidayCampaign.recurrence.yearly"), value: "yearly" },
            ]}
            value={p.values.recurrence ?? "once"}
            onChange={p.set("recurrence")}
            error={p.error("recurrence")}
            helpText={t("rules.kind.holidayCampaign.recurrenceHelp")}
          />
          {p.field("reminderDaysBeforeEnd", t("rules.kind.holidayCampaign.reminderDaysBeforeEnd"), {
            type: "number",
            helpText: t("rules.kind.holidayCampaign.reminderHelp"),
          })}
          <FormLayout.Group>
            <Select
              label={t("rules.kind.holidayCampaign.audience")}
              options={[
                { label: t("rules.kind.holidayCampaign.audience.everyoneWithConsent"), value: "everyoneWithConsent" },
                { label: t("rules.kind.holidayCampaign.audience.segment"), value: "segment" },
                { label: t("rules.kind.holidayCampaign.audience.tier"), value: "tier" },
              ]}
              value={p.values["audience.type"] ?? "everyoneWithConsent"}
              onChange={p.set("audience.type")}
              error={p.error("audience")}
            />
            {p.values["audience.type"] === "segment" && (
              <Select
                label={t("rules.kind.holidayCampaign.segment")}
                options={[{ label: t("rules.choose"), value: "" }, ...p.segments.map((s) => ({ label: s.label, value: s.id }))]}
                value={p.values["audience.segmentId"] ?? ""}
                onChange={p.set("audience.segmentId")}
                error={p.error("audience.segmentId")}
              />
            )}
            {p.values["audience.type"] === "tier" &&
              p.field("audience.tier", t("rules.kind.holidayCampaign.tier"), {
                helpText: p.knownTiers.length
                  ? t("rules.kind.holidayCampaign.tierChoices", { tiers: p.knownTiers.join(", ") })
                  : t("rules.kind.holidayCampaign.noTiers"),
              })}
          </FormLayout.Group>
        </FormLayout>
      </Card>
    </>
  );
}

function FeedbackThanksFields(p: KindFieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout>
          {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: t("rules.unit.days") })}
          <Checkbox
            label={t("rules.kind.feedbackThanks.oncePerCustomer")}
            checked={p.values.oncePerCustomer !== "false"}
            onChange={p.setBool("oncePerCustomer")}
          />
          <Text as="p" tone="subdued">
            {t("rules.kind.feedbackThanks.anyScore")}
          </Text>
        </FormLayout>
      </Card>
    </>
  );
}

function OrderMilestonesFields(p: KindFieldsProps) {
  const { t } = useI18n();
  const indexes = Array.from({ length: MAX_ORDER_MILESTONES }, (_, i) => i);
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("rules.kind.orderMilestones.milestones")}
          </Text>
          <Text as="p" tone="subdued">
            {t("rules.kind.orderMilestones.milestonesHelp", {
              max: MAX_ORDER_MILESTONES,
              min: ORDER_MILESTONE_MIN,
              maxOrders: ORDER_MILESTONE_MAX,
            })}
          </Text>
          {p.error("milestones") && (
            <Text as="p" tone="critical">
              {p.error("milestones")}
            </Text>
          )}
          <FormLayout>
            <FormLayout.Group>
              {indexes.map((i) => (
                <Fragment key={i}>
                  {p.field(`milestones.${i}`, t("rules.kind.orderMilestones.milestone", { n: i + 1 }), { type: "number" })}
                </Fragment>
              ))}
            </FormLayout.Group>
            {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: t("rules.unit.days") })}
            <Text as="p" tone="subdued">
              {t("rules.kind.orderMilestones.once", { days: ORDER_MILESTONE_RECENT_DAYS })}
            </Text>
          </FormLayout>
        </BlockStack>
      </Card>
    </>
  );
}

function WelcomeBackFields(p: KindFieldsProps) {
  const { t } = useI18n();
  const days = t("rules.unit.days");
  return (
    <>
      <RewardCard {...p} />
      <Card>
        <FormLayout>
          {p.field("gapDays", t("rules.kind.welcomeBack.gapDays"), {
            type: "number",
            suffix: days,
            helpText: t("rules.kind.welcomeBack.gapHelp"),
          })}
          {p.field("validityDays", t("rules.field.validityDays"), { type: "number", suffix: days })}
          <Text as="p" tone="subdued">
            {t("rules.kind.welcomeBack.once", { days: WELCOME_BACK_RECENT_DAYS })}
          </Text>
        </FormLayout>
      </Card>
    </>
  );
}

export const KIND_FIELDS = {
  loyaltyTiers: LoyaltyTiersFields,
  birthday: BirthdayFields,
  winback: WinbackFields,
  holidayCampaign: HolidayCampaignFields,
  feedbackThanks: FeedbackThanksFields,
  secondOrder: SecondOrderFields,
  firstOrderAnniversary: FirstOrderAnniversaryFields,
  orderMilestones: OrderMilestonesFields,
  welcomeBack: WelcomeBackFields,
} satisfies Record<RuleKind, (props: KindFieldsProps) => JSX.Element>;
