/**
 * A cart's total in cents.
 * @param {{ cents: number; qty: number }[]} lines
 * @returns {number}
 */
export function total(lines) {
  return lines.reduce((sum, l) => sum + l.cents * l.qty, 0);
}
