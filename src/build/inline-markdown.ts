// Hints are one-line strings in step frontmatter; they use Markdown's inline code (`…`), strong
// (**…**) and links ([text](url)). Only those, because a hint is a sentence, not a document, and
// stray `*` in ARNs (bucket/*) must stay text. Everything else is escaped.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function formatText(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+|\/[^)\s]*)\)/g, (_, label: string, href: string) => `<a href="${href}">${label}</a>`);
}

/** One line of inline Markdown → HTML (code spans, strong, links). */
export function inlineMarkdown(source: string): string {
  let html = '';
  let rest = source;
  // Code spans first: nothing inside them is formatted.
  for (;;) {
    const open = /(`+)/.exec(rest);
    if (!open) break;
    const fence = open[1]!;
    const close = rest.indexOf(fence, open.index + fence.length);
    if (close < 0) break;
    html += formatText(rest.slice(0, open.index));
    const code = rest.slice(open.index + fence.length, close);
    html += `<code>${escapeHtml(code.length > 2 && code.startsWith(' ') && code.endsWith(' ') ? code.slice(1, -1) : code)}</code>`;
    rest = rest.slice(close + fence.length);
  }
  return html + formatText(rest);
}
