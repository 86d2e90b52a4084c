/**
 * Expired codes nobody used are deactivated so they stop cluttering the shop's discount list; codes
 * that were redeemed are kept as the record of the redemption.
 */

export interface IssuedCodeStatus {
  id: string;
  code: string;
  /** ISO instant the code stops working. */
  endsAt: string;
  usageCount: number;
  deactivatedAt: string | null;
}

export interface ExpirySweep {
  toDeactivate: IssuedCodeStatus[];
  counts: {
    active: number;
    expiredUnused: number;
    expiredRedeemed: number;
    alreadyDeactivated: number;
  };
}

export function sweepExpiredCodes(codes: readonly IssuedCodeStatus[], now: Date): ExpirySweep {
  const toDeactivate: IssuedCodeStatus[] = [];
  const counts = { active: 0, expiredUnused: 0, expiredRedeemed: 0, alreadyDeactivated: 0 };
  const nowMs = now.getTime();
  for (const c of codes) {
    const endsMs = Date.parse(c.endsAt);
    if (Number.isNaN(endsMs)) throw new RangeError(`Code ${c.id} has an invalid endsAt: ${c.endsAt}`);
    if (c.deactivatedAt) counts.alreadyDeactivated++;
    else if (endsMs > nowMs) counts.active++;
    else if (c.usageCount > 0) counts.expiredRedeemed++;
    else {
      counts.expiredUnused++;
      toDeactivate.push(c);
    }
  }
  return { toDeactivate, counts };
}
