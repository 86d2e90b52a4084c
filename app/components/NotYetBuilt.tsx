import { Banner, Page } from "@shopify/polaris";

/** A page whose issue has not landed yet says so on screen instead of pretending. */
export function NotYetBuilt({ title, heading, body }: { title: string; heading: string; body: string }) {
  return (
    <Page title={title}>
      <Banner tone="info" title={heading}>
        <p>{body}</p>
      </Banner>
    </Page>
  );
}
