/**
 * The shopper's birthday as every Kinship extension asks for it (the survey's optional field, the "My
 * rewards" page's edit form): the same checks in the browser as the app's server makes, so a mistake is
 * shown before anything is sent. The server still has the last word.
 */
export const MIN_BIRTH_YEAR = 1900;

/** Why a YYYY-MM-DD birthday is unacceptable, or null when it is a real past date after 1900. */
export function birthdayProblem(birthday: string, today: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday);
  if (!match) return "invalid_date";
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Before building a Date: Date.UTC reads years 0–99 as 1900–1999.
  if (year < MIN_BIRTH_YEAR) return "implausible_year";
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return "invalid_date";
  }
  if (birthday > today) return "future_date";
  return null;
}

/** The shopper's local calendar day; extensions run in the shopper's browser. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
