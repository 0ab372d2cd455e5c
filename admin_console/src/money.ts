/** TWTC amounts are integers in hundredths (the API's minor units): formatted and parsed without floats. */
const DECIMALS = 2;
const SCALE = 10 ** DECIMALS;

export function formatCoins(minor: number): string {
  const sign = minor < 0 ? "-" : "";
  const absolute = Math.abs(minor);
  const whole = Math.floor(absolute / SCALE).toLocaleString("en-IN");
  const fraction = String(absolute % SCALE).padStart(DECIMALS, "0");
  return `${sign}${whole}.${fraction} TWTC`;
}

/** "12", "12.5" or "12.50" TWTC → 1250; anything else (negative, 3 decimals, text) → null. */
export function parseCoins(text: string): number | null {
  const found = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!found) return null;
  return Number(found[1]) * SCALE + Number((found[2] ?? "").padEnd(DECIMALS, "0"));
}
