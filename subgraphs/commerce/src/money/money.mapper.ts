import type { Money } from './money.type.js';

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/** A Money value; `formatted` as in en-US, for example "$89.99". */
export function toMoney(amountCents: number, currency: string): Money {
  return { amountCents, currency, formatted: formatterFor(currency).format(amountCents / 100) };
}
