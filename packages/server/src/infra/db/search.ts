const escapeLike = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `%term%` for ILIKE with the user's own `%`, `_` and `\` matched literally. */
export function containsPattern(term: string): string {
  return `%${escapeLike(term)}%`;
}

/** `term%` for ILIKE (starts with), the user's own `%`, `_` and `\` matched literally. */
export function prefixPattern(term: string): string {
  return `${escapeLike(term)}%`;
}
