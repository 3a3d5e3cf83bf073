// Checksums and masking for the identifiers the sandbox's synthetic subjects carry (ARCHITECTURE §7).

/** Letter → two-digit area code used by both the national ID and the new-format 統一證號. */
const LETTER_CODES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

/**
 * A national ID (second digit 1 or 2) or a new-format resident certificate number 統一證號
 * (second digit 8 or 9, in use since 2021); both share one weighted checksum mod 10.
 */
export function isValidPersonalId(id: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(id)) return false;
  const code = LETTER_CODES[id.charAt(0)] ?? 0;
  const weights = [8, 7, 6, 5, 4, 3, 2, 1, 1];
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  weights.forEach((w, i) => { sum += Number(id.charAt(i + 1)) * w; });
  return sum % 10 === 0;
}

/** True for the new-format 統一證號 issued to foreign residents (second digit 8 or 9). */
export function isResidentCertificateNumber(id: string): boolean {
  return isValidPersonalId(id) && (id[1] === '8' || id[1] === '9');
}

/** 統一編號 under the 2023 rule: digit sums of the weighted products divisible by 5 (or sum+1 when the 7th digit is 7). */
export function isValidBusinessId(ban: string): boolean {
  if (!/^\d{8}$/.test(ban)) return false;
  const weights = [1, 2, 1, 2, 1, 2, 4, 1];
  let sum = 0;
  weights.forEach((w, i) => {
    const product = Number(ban.charAt(i)) * w;
    sum += Math.floor(product / 10) + (product % 10);
  });
  return sum % 5 === 0 || (ban[6] === '7' && (sum + 1) % 5 === 0);
}

/** Displayed identifiers hide their last four characters: A12345****. */
export function maskId(id: string): string {
  return id.length <= 4 ? '****' : `${id.slice(0, -4)}****`;
}
