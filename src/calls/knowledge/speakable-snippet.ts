/** About what a caller can take in at once: two or three spoken sentences. */
export const SNIPPET_MAX_CHARS = 300;

/** Sentence ends, in the scripts the product speaks (Latin, Korean and CJK full stops). */
const SENTENCE_END = /[.!?。！？](?=\s|$)/g;

/**
 * The start of an article's text, short enough to be spoken: whole sentences up to `max` characters; when
 * even the first sentence is longer, cut at the last word boundary with an ellipsis.
 */
export function speakableSnippet(text: string, max = SNIPPET_MAX_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let end = 0;
  for (const match of clean.matchAll(SENTENCE_END)) {
    const after = (match.index ?? 0) + 1;
    if (after > max) break;
    end = after;
  }
  if (end > 0) return clean.slice(0, end);
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}
