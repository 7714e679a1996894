import { UsccProblem } from '@qihu/domain';

/** Why a 统一社会信用代码 was refused, in Chinese, for forms and import rows alike. */
export const CREDIT_CODE_PROBLEM: Record<UsccProblem, string> = {
  [UsccProblem.Length]: '须为 18 位',
  [UsccProblem.Character]: '含有不允许的字符（不使用 I、O、Z、S、V）',
  [UsccProblem.DivisionCode]: '第 3–8 位须为行政区划代码',
  [UsccProblem.CheckDigit]: '校验位不正确',
};
