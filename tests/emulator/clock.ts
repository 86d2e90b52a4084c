/** Milliseconds since the epoch. Injected everywhere "now" matters so tests can move time without sleeping. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export interface FakeClock {
  now: Clock;
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(startMs = Date.now()): FakeClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
