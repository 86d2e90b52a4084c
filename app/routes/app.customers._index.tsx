import { useCallback, useEffect, useRef, useState } from "react";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  ChoiceList,
  EmptyState,
  IndexFilters,
  IndexTable,
  InlineGrid,
  InlineStack,
  Link,
  Page,
  Text,
  TextField,
  useBreakpoints,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
  type IndexTableProps,
  type TabProps,
} from "@shopify/polaris";
import { hasCustomerFilters, listCustomers, parseCustomerListSearch } from "../models/views/customer-index.server";
import { dashboardFigures, storedTierNames } from "../models/views/dashboard-views.server";
import { CUSTOMER_SORTS, type CustomerSort } from "../models/views/customer-index-options";
import { LIFECYCLE_GROUPS, type LifecycleGroup } from "../retention/segments/lifecycle";
import { RFM_SEGMENTS } from "../retention/segments/rfm";
import { translate, translatePlural } from "../i18n";
import { currencySymbol } from "../formatting";
import { lifecycleGroupDefinitions, pageContext, pageMessages } from "../services/page-context.server";
import { LifecycleBadge, LifecycleLegend } from "../components/LifecycleBadge";
import { I18nProvider, useAppPath, useI18n } from "../components/I18n";
import { EMPTY_STATE_IMAGE } from "../components/lifecycle";
import { numericShopifyId } from "../models/views/customer-views.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await pageContext(request);
  const { shop, locale, format, url, currency: currencyCode } = ctx;
  const parsed = parseCustomerListSearch(url.searchParams);
  // Unfiltered, the total and the tier filter's choices are the dashboard's stored figures (the shop's customer
  // count and tiers, counted after imports, recomputes and soon after webhooks): a load then reads no pass over
  // the shop's customers (issue 23 item 3). A filtered list counts its matches.
  const filtered = hasCustomerFilters(parsed.params);
  const [page, figures, definitions] = await Promise.all([
    listCustomers(shop, { ...parsed.params, withTotal: filtered }),
    dashboardFigures(shop),
    lifecycleGroupDefinitions(ctx),
  ]);
  const total = filtered ? page.total : figures.figures.live.customers;
  const tiers = storedTierNames(figures);
  const shopHasCustomers = total !== 0 || page.customers.length > 0 || (await listCustomers(shop, { limit: 1 })).customers.length > 0;
  return json({
    locale,
    messages: pageMessages(locale, ["customers", "lifecycle", "rfm.segment"]),
    title: translate(locale, "customers.title"),
    definitions,
    values: parsed.values,
    invalid: parsed.invalid.map((field) => translate(locale, `customers.filter.${field}` as "customers.filter.sort")),
    tiers,
    currency: currencySymbol(locale, currencyCode),
    shopHasCustomers,
    total,
    totalText: total === null ? "" : translatePlural(locale, "customers.count", total),
    pageInfo: page.pageInfo,
    rows: page.customers.map((c) => {
      const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
      return {
        id: c.id,
        numericId: numericShopifyId(c.shopifyId),
        name: name || c.email || translate(locale, "customers.unnamed"),
        email: name ? c.email : null,
        lifecycle: c.lifecycle,
        lifecycleLabel: c.lifecycle
          ? translate(locale, `lifecycle.${c.lifecycle}` as "lifecycle.new")
          : translate(locale, "lifecycle.unscored"),
        segment: c.rfmSegment ? translate(locale, `rfm.segment.${c.rfmSegment}` as "rfm.segment.champions") : "—",
        tier: c.tier ?? "—",
        orders: format.number(c.orderCount),
        totalSpent: format.money(c.totalSpent),
        lastOrder: c.lastOrderAt ? format.date(c.lastOrderAt) : "—",
        predictedClv: format.money(c.predictedClv),
        // BG/NBD gives every one-time buyer P(alive) = 1: the model cannot judge them yet, so no figure.
        pAlive: c.pAlive === null || c.orderCount <= 1 ? "—" : format.percent(c.pAlive, 0),
      };
    }),
  });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

// Columns in table order; the sortable ones map to the index's sort keys.
const COLUMN_SORTS: (CustomerSort | null)[] = [null, null, null, null, "orderCount", "totalSpent", "lastOrderAt", "predictedClv", "pAlive"];
const SORT_LABEL_KEYS: Record<CustomerSort, string> = {
  lastOrderAt: "customers.column.lastOrder",
  orderCount: "customers.column.orders",
  totalSpent: "customers.column.totalSpent",
  predictedClv: "customers.column.predictedClv",
  pAlive: "customers.column.pAlive",
};
const TABS = ["all", ...LIFECYCLE_GROUPS] as const;

/** Changes the page's URL (the loader's input); filters and sort always start again at the first page. */
function useListNavigation() {
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback(
    (change: Record<string, string | string[] | null>, { keepCursor = false } = {}) => {
      const search = new URLSearchParams(location.search);
      if (!keepCursor) {
        search.delete("after");
        search.delete("before");
      }
      for (const [key, value] of Object.entries(change)) {
        search.delete(key);
        if (value === null) continue;
        for (const v of Array.isArray(value) ? value : [value]) if (v !== "") search.append(key, v);
      }
      navigate(`${location.pathname}?${search.toString()}`, { replace: !keepCursor, preventScrollReset: true });
    },
    [location.pathname, location.search, navigate],
  );
}

/** A text filter that applies when typing pauses, so each keystroke is not a page load. */
function useDebounced(value: string, apply: (value: string) => void, delay = 400) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = setTimeout(() => apply(value), delay);
    return () => clearTimeout(timer);
    // `apply` changes identity on every navigation; only a new value should schedule it.
  }, [value, delay]);
}

function RangeFilter({
  minLabel,
  maxLabel,
  min,
  max,
  suffix,
  onChange,
}: {
  minLabel: string;
  maxLabel: string;
  min: number | null;
  max: number | null;
  suffix?: string;
  onChange: (min: string, max: string) => void;
}) {
  const [low, setLow] = useState(min === null ? "" : String(min));
  const [high, setHigh] = useState(max === null ? "" : String(max));
  useDebounced(`${low}|${high}`, () => onChange(low, high), 600);
  return (
    <InlineStack gap="200" wrap={false}>
      <TextField label={minLabel} type="number" value={low} onChange={setLow} autoComplete="off" suffix={suffix} min={0} />
      <TextField label={maxLabel} type="number" value={high} onChange={setHigh} autoComplete="off" suffix={suffix} min={0} />
    </InlineStack>
  );
}

function CustomerFilters({ data }: { data: Data }) {
  const { t } = useI18n();
  const change = useListNavigation();
  const { values } = data;
  const { mode, setMode } = useSetIndexFiltersMode();
  const [query, setQuery] = useState(values.query);
  useDebounced(query, (q) => change({ query: q.trim() || null }), 350);

  const selectedTab = values.lifecycle.length === 1 ? Math.max(0, TABS.indexOf(values.lifecycle[0] as (typeof TABS)[number])) : 0;
  const tabs: TabProps[] = TABS.map((tab) => ({
    id: `customers-tab-${tab}`,
    content: tab === "all" ? t("customers.tab.all") : t(`lifecycle.${tab}`),
    isLocked: true,
  }));

  const sortOptions: IndexFiltersProps["sortOptions"] = CUSTOMER_SORTS.flatMap((sort) => [
    {
      label: t(SORT_LABEL_KEYS[sort]),
      value: `${sort} desc` as const,
      directionLabel: t(sort === "lastOrderAt" ? "customers.sort.newest" : "customers.sort.highest"),
    },
    {
      label: t(SORT_LABEL_KEYS[sort]),
      value: `${sort} asc` as const,
      directionLabel: t(sort === "lastOrderAt" ? "customers.sort.oldest" : "customers.sort.lowest"),
    },
  ]);

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "lifecycle",
      label: t("customers.filter.lifecycle"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("customers.filter.lifecycle")}
          titleHidden
          allowMultiple
          choices={LIFECYCLE_GROUPS.map((g) => ({ label: t(`lifecycle.${g}`), value: g }))}
          selected={values.lifecycle}
          onChange={(selected) => change({ lifecycle: selected })}
        />
      ),
    },
    {
      key: "rfmSegment",
      label: t("customers.filter.rfmSegment"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("customers.filter.rfmSegment")}
          titleHidden
          allowMultiple
          choices={RFM_SEGMENTS.map((s) => ({ label: t(`rfm.segment.${s}`), value: s }))}
          selected={values.rfmSegment}
          onChange={(selected) => change({ rfmSegment: selected })}
        />
      ),
    },
    {
      key: "tier",
      label: t("customers.filter.tier"),
      filter: data.tiers.length ? (
        <ChoiceList
          title={t("customers.filter.tier")}
          titleHidden
          allowMultiple
          choices={data.tiers.map((tier) => ({ label: tier, value: tier }))}
          selected={values.tier}
          onChange={(selected) => change({ tier: selected })}
        />
      ) : (
        <Text as="p" tone="subdued">
          {t("customers.filter.noTiers")}
        </Text>
      ),
    },
    {
      key: "pAlive",
      label: t("customers.filter.pAlive"),
      filter: (
        <RangeFilter
          minLabel={t("customers.filter.min")}
          maxLabel={t("customers.filter.max")}
          min={values.pAliveMin}
          max={values.pAliveMax}
          suffix="%"
          onChange={(min, max) => change({ pAliveMin: min || null, pAliveMax: max || null })}
        />
      ),
    },
    {
      key: "clv",
      label: t("customers.filter.clv"),
      filter: (
        <RangeFilter
          minLabel={t("customers.filter.min")}
          maxLabel={t("customers.filter.max")}
          min={values.clvMin}
          max={values.clvMax}
          suffix={data.currency || undefined}
          onChange={(min, max) => change({ clvMin: min || null, clvMax: max || null })}
        />
      ),
    },
    {
      key: "hasBirthday",
      label: t("customers.filter.hasBirthday"),
      filter: (
        <ChoiceList
          title={t("customers.filter.hasBirthday")}
          titleHidden
          choices={[
            { label: t("customers.filter.birthdayYes"), value: "yes" },
            { label: t("customers.filter.birthdayNo"), value: "no" },
          ]}
          selected={values.hasBirthday ? [values.hasBirthday] : []}
          onChange={(selected) => change({ hasBirthday: selected[0] ?? null })}
        />
      ),
    },
  ];

  const list = (keys: string[], prefix: string) => keys.map((k) => t(`${prefix}.${k}`)).join(", ");
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (values.lifecycle.length)
    appliedFilters.push({
      key: "lifecycle",
      label: `${t("customers.filter.lifecycle")}: ${list(values.lifecycle, "lifecycle")}`,
      onRemove: () => change({ lifecycle: null }),
    });
  if (values.rfmSegment.length)
    appliedFilters.push({
      key: "rfmSegment",
      label: `${t("customers.filter.rfmSegment")}: ${list(values.rfmSegment, "rfm.segment")}`,
      onRemove: () => change({ rfmSegment: null }),
    });
  if (values.tier.length)
    appliedFilters.push({
      key: "tier",
      label: `${t("customers.filter.tier")}: ${values.tier.join(", ")}`,
      onRemove: () => change({ tier: null }),
    });
  if (values.pAliveMin !== null || values.pAliveMax !== null)
    appliedFilters.push({
      key: "pAlive",
      label: `${t("customers.filter.pAlive")}: ${values.pAliveMin ?? 0}–${values.pAliveMax ?? 100}%`,
      onRemove: () => change({ pAliveMin: null, pAliveMax: null }),
    });
  if (values.clvMin !== null || values.clvMax !== null)
    appliedFilters.push({
      key: "clv",
      label: `${t("customers.filter.clv")}: ${values.clvMin ?? 0}–${values.clvMax ?? "∞"}`,
      onRemove: () => change({ clvMin: null, clvMax: null }),
    });
  if (values.hasBirthday)
    appliedFilters.push({
      key: "hasBirthday",
      label: t(values.hasBirthday === "yes" ? "customers.filter.birthdayYes" : "customers.filter.birthdayNo"),
      onRemove: () => change({ hasBirthday: null }),
    });

  return (
    <IndexFilters
      tabs={tabs}
      selected={selectedTab}
      onSelect={(index) => change({ lifecycle: index === 0 ? null : TABS[index] })}
      canCreateNewView={false}
      queryValue={query}
      queryPlaceholder={t("customers.search")}
      onQueryChange={setQuery}
      onQueryClear={() => setQuery("")}
      sortOptions={sortOptions}
      sortSelected={[`${values.sort} ${values.direction}`]}
      onSort={([value]) => {
        const [sort, direction] = (value ?? "").split(" ");
        change({ sort, direction });
      }}
      filters={filters}
      appliedFilters={appliedFilters}
      onClearAll={() => {
        setQuery("");
        change({
          lifecycle: null,
          rfmSegment: null,
          tier: null,
          pAliveMin: null,
          pAliveMax: null,
          clvMin: null,
          clvMax: null,
          hasBirthday: null,
          query: null,
        });
      }}
      mode={mode}
      setMode={setMode}
    />
  );
}

function CustomerTable({ data }: { data: Data }) {
  const { t } = useI18n();
  const change = useListNavigation();
  const navigation = useNavigation();
  const { values } = data;
  const headings: IndexTableProps["headings"] = [
    { title: t("customers.column.customer") },
    { title: t("customers.column.group") },
    { title: t("customers.column.segment") },
    { title: t("customers.column.tier") },
    { title: t("customers.column.orders"), alignment: "end" },
    { title: t("customers.column.totalSpent"), alignment: "end" },
    { title: t("customers.column.lastOrder") },
    { title: t("customers.column.predictedClv"), alignment: "end" },
    { title: t("customers.column.pAlive"), alignment: "end" },
  ];
  const sortColumnIndex = COLUMN_SORTS.indexOf(values.sort);
  // Under 490 px (Polaris's small breakpoint) nine columns leave no room for a number: each row becomes
  // one readable block (the customer, the group, and the key numbers with their names).
  const { smDown: condensed } = useBreakpoints();
  return (
    <IndexTable
      condensed={condensed}
      resourceName={{ singular: t("customers.resource.singular"), plural: t("customers.resource.plural") }}
      itemCount={data.rows.length}
      selectable={false}
      loading={navigation.state === "loading" && navigation.location?.pathname === "/app/customers"}
      headings={headings}
      sortable={COLUMN_SORTS.map((s) => s !== null)}
      sortColumnIndex={sortColumnIndex}
      sortDirection={values.direction === "asc" ? "ascending" : "descending"}
      onSort={(index, direction) => {
        const sort = COLUMN_SORTS[index];
        if (sort) change({ sort, direction: direction === "ascending" ? "asc" : "desc" });
      }}
      pagination={{
        hasNext: data.pageInfo.hasNextPage,
        hasPrevious: data.pageInfo.hasPreviousPage,
        onNext: () => change({ after: data.pageInfo.endCursor, before: null }, { keepCursor: true }),
        onPrevious: () => change({ before: data.pageInfo.startCursor, after: null }, { keepCursor: true }),
        label: data.totalText,
      }}
    >
      {data.rows.map((row, index) =>
        condensed ? (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <CondensedCustomer row={row} definitions={data.definitions} />
          </IndexTable.Row>
        ) : (
          <IndexTable.Row id={row.id} key={row.id} position={index}>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <CustomerName row={row} />
                {row.email ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {row.email}
                  </Text>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {row.lifecycle ? (
                <LifecycleBadge group={row.lifecycle as LifecycleGroup} definition={data.definitions[row.lifecycle as LifecycleGroup]} />
              ) : (
                <Text as="span" tone="subdued">
                  {row.lifecycleLabel}
                </Text>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>{row.segment}</IndexTable.Cell>
            <IndexTable.Cell>{row.tier}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {row.orders}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {row.totalSpent}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>{row.lastOrder}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {row.predictedClv}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {row.pAlive}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ),
      )}
    </IndexTable>
  );
}

type Row = Data["rows"][number];

function CustomerName({ row }: { row: Row }) {
  const path = useAppPath();
  const name = (
    <Text as="span" fontWeight="semibold">
      {row.name}
    </Text>
  );
  return row.numericId ? (
    <Link url={path(`/app/customers/${row.numericId}`)} dataPrimaryLink monochrome removeUnderline>
      {name}
    </Link>
  ) : (
    name
  );
}

/** One customer as a block for narrow screens: name and group on top, then each key number under its name. */
function CondensedCustomer({ row, definitions }: { row: Row; definitions: Data["definitions"] }) {
  const { t } = useI18n();
  const figures: Array<[string, string]> = [
    [t("customers.column.orders"), row.orders],
    [t("customers.column.totalSpent"), row.totalSpent],
    [t("customers.column.predictedClv"), row.predictedClv],
    [t("customers.column.lastOrder"), row.lastOrder],
  ];
  return (
    <div className="kinship-condensed-customer" style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
          <CustomerName row={row} />
          {row.lifecycle ? (
            <LifecycleBadge group={row.lifecycle as LifecycleGroup} definition={definitions[row.lifecycle as LifecycleGroup]} />
          ) : (
            <Text as="span" tone="subdued">
              {row.lifecycleLabel}
            </Text>
          )}
        </InlineStack>
        <InlineGrid columns={2} gap="200">
          {figures.map(([label, value]) => (
            <BlockStack gap="0" key={label}>
              <Text as="span" variant="bodySm" tone="subdued">
                {label}
              </Text>
              <Text as="span" numeric>
                {value}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
      </BlockStack>
    </div>
  );
}

function CustomersContent({ data }: { data: Data }) {
  const { t } = useI18n();
  const path = useAppPath();
  return (
    <Page title={data.title} subtitle={data.totalText || undefined} fullWidth>
      <BlockStack gap="400">
        {data.invalid.length ? (
          <Banner tone="warning" title={t("customers.invalidFilters")}>
            <p>{data.invalid.join(", ")}</p>
          </Banner>
        ) : null}
        {!data.shopHasCustomers ? (
          <Card>
            <EmptyState
              heading={t("customers.empty.title")}
              action={{ content: t("customers.empty.action"), url: path("/app") }}
              image={EMPTY_STATE_IMAGE}
            >
              <p>{t("customers.empty.body")}</p>
            </EmptyState>
          </Card>
        ) : (
          <Card padding="0">
            <CustomerFilters data={data} />
            <CustomerTable data={data} />
          </Card>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("customers.groupsTitle")}
            </Text>
            <LifecycleLegend definitions={data.definitions} />
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

export default function CustomersPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={data.locale} messages={data.messages}>
      <CustomersContent data={data} />
    </I18nProvider>
  );
}

export { RouteError as ErrorBoundary } from "../components/RouteError";
