/** The path of a request URL, without its query string (which can carry tokens, and is no part of a route). */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
