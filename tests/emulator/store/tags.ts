/** A customer's or order's tags as Shopify keeps them: one of each, compared without case (the first spelling stays). */
export function distinctTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => !seen.has(tag.toLowerCase()) && seen.add(tag.toLowerCase()));
}
