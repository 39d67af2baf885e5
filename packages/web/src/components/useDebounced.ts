import { useEffect, useState } from 'react';

/** `text` trimmed and debounced: the value to query with once the user pauses typing. */
export function useDebounced(text: string, ms = 250): string {
  const [value, setValue] = useState(text.trim());
  useEffect(() => {
    const t = setTimeout(() => setValue(text.trim()), ms);
    return () => clearTimeout(t);
  }, [text, ms]);
  return value;
}
