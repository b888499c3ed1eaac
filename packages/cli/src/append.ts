/**
 * Appends the items to the array, one by one: a spread into push passes every item as an argument on the
 * stack, which overflows at about 100,000 items. (The same as @audit-image/dockerfile's `append`; this copy
 * keeps the command's start-up from loading the Dockerfile package.)
 */
export function append<T>(to: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) to.push(items[i]!);
  return to;
}
