import { randomBytes } from "node:crypto";

export type TokenKind = "offline" | "online";

export interface AccessTokenInfo {
  token: string;
  shop: string;
  scopes: string[];
  kind: TokenKind;
  /** null for non-expiring offline tokens. */
  expiresAt: number | null;
  userId: number | null;
  issuedAt: number;
}

interface RefreshTokenInfo {
  token: string;
  shop: string;
  scopes: string[];
  expiresAt: number;
}

export interface IssuedToken {
  accessToken: string;
  scope: string;
  /** Seconds, for expiring offline and online tokens. */
  expiresIn?: number;
  refreshToken?: string;
  refreshTokenExpiresIn?: number;
  info: AccessTokenInfo;
}

export interface TokenLifetimes {
  expiringOfflineSeconds: number;
  refreshSeconds: number;
  onlineSeconds: number;
}

export const DEFAULT_TOKEN_LIFETIMES: TokenLifetimes = {
  expiringOfflineSeconds: 3600,
  refreshSeconds: 90 * 86_400,
  onlineSeconds: 86_399,
};

export interface IssueOptions {
  online?: boolean;
  expiring?: boolean;
  userId?: number;
}

/** Access and refresh tokens; every token belongs to exactly one shop, which is how requests without a shop Host resolve. */
export class TokenStore {
  private readonly access = new Map<string, AccessTokenInfo>();
  private readonly refresh = new Map<string, RefreshTokenInfo>();

  constructor(
    private readonly clock: () => number,
    private readonly lifetimes: TokenLifetimes = DEFAULT_TOKEN_LIFETIMES,
  ) {}

  issue(shop: string, scopes: string[], options: IssueOptions = {}): IssuedToken {
    const now = this.clock();
    const online = options.online ?? false;
    const expiresIn = online ? this.lifetimes.onlineSeconds : options.expiring ? this.lifetimes.expiringOfflineSeconds : undefined;
    const info: AccessTokenInfo = {
      token: `${online ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      shop,
      scopes: [...scopes],
      kind: online ? "online" : "offline",
      expiresAt: expiresIn === undefined ? null : now + expiresIn * 1000,
      userId: online ? (options.userId ?? 1) : null,
      issuedAt: now,
    };
    this.access.set(info.token, info);
    const issued: IssuedToken = { accessToken: info.token, scope: scopes.join(","), info };
    if (expiresIn !== undefined) issued.expiresIn = expiresIn;
    if (!online && options.expiring) {
      const refresh: RefreshTokenInfo = {
        token: `shprt_${randomBytes(24).toString("hex")}`,
        shop,
        scopes: [...scopes],
        expiresAt: now + this.lifetimes.refreshSeconds * 1000,
      };
      this.refresh.set(refresh.token, refresh);
      issued.refreshToken = refresh.token;
      issued.refreshTokenExpiresIn = this.lifetimes.refreshSeconds;
    }
    return issued;
  }

  /** The token's record, or null if unknown, revoked or expired. */
  lookup(token: string | undefined | null): AccessTokenInfo | null {
    if (!token) return null;
    const info = this.access.get(token);
    if (!info) return null;
    if (info.expiresAt !== null && info.expiresAt <= this.clock()) return null;
    return info;
  }

  /** Rotates a refresh token: the old one stops working, a new expiring access token and refresh token are issued. */
  useRefreshToken(refreshToken: string): IssuedToken | null {
    const info = this.refresh.get(refreshToken);
    if (!info || info.expiresAt <= this.clock()) return null;
    this.refresh.delete(refreshToken);
    return this.issue(info.shop, info.scopes, { expiring: true });
  }

  revoke(token: string): void {
    this.access.delete(token);
  }

  revokeShop(shop: string): void {
    for (const [token, info] of this.access) if (info.shop === shop) this.access.delete(token);
    for (const [token, info] of this.refresh) if (info.shop === shop) this.refresh.delete(token);
  }
}

/** write_x implies read_x, as on Shopify. */
export function hasScope(scopes: readonly string[], needed: string): boolean {
  if (scopes.includes(needed)) return true;
  if (needed.startsWith("read_")) return scopes.includes(`write_${needed.slice(5)}`);
  return false;
}

export const DEFAULT_APP_SCOPES = [
  "read_customers",
  "write_customers",
  "read_orders",
  "read_all_orders",
  "read_products",
  "read_locales",
  "read_discounts",
  "write_discounts",
  "read_customer_merge",
  "read_store_credit_accounts",
  "read_store_credit_account_transactions",
  "write_store_credit_account_transactions",
  "read_fulfillments",
];
