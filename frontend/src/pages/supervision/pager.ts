import { useCallback, useState } from 'react';

/**
 * Pages of a Relay connection (first/after): the cursors of the pages seen so far, so that a person can
 * go forward with the server's end cursor and back again without the browser holding every row.
 */
export function useCursorPager() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length;
  const after = cursors[cursors.length - 1] ?? null;
  const next = useCallback((endCursor: string | null | undefined) => {
    if (endCursor) setCursors((c) => [...c, endCursor]);
  }, []);
  const previous = useCallback(() => {
    setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
  }, []);
  const reset = useCallback(() => {
    setCursors([null]);
  }, []);
  return { page, after, next, previous, reset };
}
