/**
 * Appends the items to the array, one by one. A spread into push passes every item as an argument on the
 * stack, which overflows at about 100,000 items (a Dockerfile of 130,000 lines has that many diagnostics).
 */
export function append<T>(to: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) to.push(items[i]!);
  return to;
}
