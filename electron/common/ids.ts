// Canonical checks for the identifiers of Taiwan's subjects (ARCHITECTURE §7): national ID / 統一證號, 統一編號, and masking.

/** Letter → two-digit area code shared by the national ID and the new-format 統一證號. */
const LETTER_CODES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};
const ID_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1, 1] as const;
const BAN_WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1] as const;

/** Weighted sum of an ID's letter code and nine digits; a valid ID makes it divisible by 10. */
function personalIdSum(id: string): number {
  const code = LETTER_CODES[id.charAt(0)] ?? 0;
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  for (let i = 0; i < ID_WEIGHTS.length; i++) sum += Number(id.charAt(i + 1)) * (ID_WEIGHTS[i] ?? 0);
  return sum;
}

/** A national ID (second digit 1 or 2) or a new-format 統一證號 (8 or 9): letter + 9 digits, weighted checksum mod 10. */
export function isValidPersonalId(id: string): boolean {
  return /^[A-Z][1289]\d{8}$/.test(id) && personalIdSum(id) % 10 === 0;
}

/** True for the new-format 統一證號 issued to foreign residents (second digit 8 or 9, in use since 2021). */
export function isResidentCertificateNumber(id: string): boolean {
  return isValidPersonalId(id) && (id[1] === '8' || id[1] === '9');
}

/** The check digit that completes a 9-character prefix (letter + 8 digits) into a valid ID. */
export function personalIdCheckDigit(prefix: string): string {
  if (!/^[A-Z][1289]\d{7}$/.test(prefix)) throw new RangeError('prefix must be a letter, 1/2/8/9, and 7 digits');
  const partial = personalIdSum(`${prefix}0`);
  return String((10 - (partial % 10)) % 10);
}

function banSum(ban: string): number {
  let sum = 0;
  for (let i = 0; i < BAN_WEIGHTS.length; i++) {
    const product = Number(ban.charAt(i)) * (BAN_WEIGHTS[i] ?? 0);
    sum += Math.floor(product / 10) + (product % 10);
  }
  return sum;
}

/**
 * 統一編號 (2023 rule, divisor 5): the digit sums of the weighted products add up to a multiple of 5,
 * or, when the 7th digit is 7 (its product 28 may count as 1 or 0), that sum plus 1 does.
 */
export function isValidBusinessId(ban: string): boolean {
  if (!/^\d{8}$/.test(ban)) return false;
  const sum = banSum(ban);
  return sum % 5 === 0 || (ban.charAt(6) === '7' && (sum + 1) % 5 === 0);
}

/** Shown identifiers hide their last four characters: `A123456789` → `A12345****`, 統一編號 `12345678` → `1234****`. */
export function maskId(id: string): string {
  return id.length <= 4 ? '*'.repeat(id.length) : `${id.slice(0, -4)}****`;
}
