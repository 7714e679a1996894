/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters.
 *
 *   1      registration authority (登记管理部门码), e.g. 9 = market regulation (工商)
 *   2      organisation type (机构类别码), e.g. 1 = company, 2 = individual business
 *   3–8    administrative division code of the registering authority (登记管理机关行政区划码), digits
 *   9–17   organisation code (主体标识码, GB 11714)
 *   18     check digit over the first 17 characters, weights 3^i mod 31, alphabet below
 *
 * The alphabet is the digits and the capital letters without I, O, Z, S and V. Input is upper-cased
 * and trimmed; we check structure and the check digit, not whether the code was ever issued.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export enum UsccProblem {
  Length = 'length',
  Character = 'character',
  DivisionCode = 'division_code',
  CheckDigit = 'check_digit',
}

export type UsccCheck = { ok: true; code: string } | { ok: false; problem: UsccProblem };

/** The check digit for the first 17 characters of a code (which must use the alphabet). */
export function usccCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Validates a unified social credit code; on success returns it normalised (trimmed, upper case). */
export function checkUnifiedSocialCreditCode(input: string): UsccCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) return { ok: false, problem: UsccProblem.Length };
  for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return { ok: false, problem: UsccProblem.Character };
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, problem: UsccProblem.DivisionCode };
  if (usccCheckDigit(code) !== code[17]) return { ok: false, problem: UsccProblem.CheckDigit };
  return { ok: true, code };
}

export function isValidUnifiedSocialCreditCode(input: string): boolean {
  return checkUnifiedSocialCreditCode(input).ok;
}
