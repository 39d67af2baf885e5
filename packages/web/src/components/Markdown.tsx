import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';

/** ATT&CK cites sources as `(Citation: Name)`; the reference list isn't shown, so drop the markers. */
const CITATION = /\(Citation:[^)]*\)/g;

/** Markdown from upstream data, rendered and then sanitised (DOMPurify) before it touches the DOM. */
export function Markdown({ source, className = '' }: { source: string; className?: string }) {
  const html = useMemo(() => {
    const raw = marked.parse(source.replace(CITATION, ''), { async: false, gfm: true });
    return DOMPurify.sanitize(raw, { USE_PROFILES: { html: true } });
  }, [source]);
  return (
    <div
      className={`prose-aegis text-sm leading-6 text-slate-700 ${className}`}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by DOMPurify just above
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
