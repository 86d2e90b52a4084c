export type ShopSize = "empty" | "tiny" | "small" | "medium" | "large";

export interface SizePreset {
  customers: number;
  /** Total orders the generator lands on: customer orders from the BG/NBD process, topped up with guest orders. */
  orders: number;
  products: number;
  historyDays: number;
}

export const SIZE_PRESETS: Record<ShopSize, SizePreset> = {
  empty: { customers: 0, orders: 0, products: 3, historyDays: 365 },
  tiny: { customers: 50, orders: 250, products: 12, historyDays: 730 },
  small: { customers: 2_000, orders: 10_000, products: 40, historyDays: 1095 },
  medium: { customers: 20_000, orders: 100_000, products: 120, historyDays: 1095 },
  large: { customers: 200_000, orders: 1_000_000, products: 400, historyDays: 1095 },
};
