import { useEffect, useRef, useState } from 'react';
import { useDebounced } from '../hooks/useDebounced.ts';
import { useFilters } from '../state/filters.ts';

export function SearchBox() {
  const committed = useFilters((s) => s.filter.search);
  const setSearch = useFilters((s) => s.setSearch);
  const [text, setText] = useState(committed);
  const debounced = useDebounced(text, 250);

  useEffect(() => {
    setSearch(debounced.trim());
  }, [debounced, setSearch]);

  // A search set elsewhere ("Clear filters", a link, Back / Forward) shows in the box; the box's own commits (the
  // debounced text) do not reset what is being typed meanwhile.
  const debouncedRef = useRef(debounced);
  debouncedRef.current = debounced;
  useEffect(() => {
    if (committed !== debouncedRef.current.trim()) setText((t) => (t.trim() === committed ? t : committed));
  }, [committed]);

  return (
    <input
      type="search"
      className="search"
      placeholder="Search id, subject, requester…"
      aria-label="Search tickets"
      data-testid="search-input"
      maxLength={200}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') setSearch(text.trim());
        if (e.key === 'Escape') setText('');
      }}
    />
  );
}
