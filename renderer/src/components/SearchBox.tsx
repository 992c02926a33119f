import { useEffect, useState } from 'react';
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

  // "Clear filters" empties the committed search; reflect it in the box.
  useEffect(() => {
    if (committed === '') setText((t) => (t.trim() === '' ? t : ''));
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
