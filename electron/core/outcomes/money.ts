// Money in integer minor units (cents), never floats: the one definition lives in shared/money.ts so the renderer's
// ROI calculator uses it too; this module keeps the core's import path.
export {
  allocateLargestRemainder,
  currencyDigits,
  CurrencyMismatchError,
  formatMinor,
  isCurrencyCode,
  minorToMajor,
  MoneyError,
  roundMinor,
  toMinor,
} from '../../../shared/money.ts';
