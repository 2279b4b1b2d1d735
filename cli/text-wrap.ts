// Text for a terminal, wrapped at word boundaries to a width.

/**
 * `text` wrapped to `width` characters, each line starting with `indent`; lines after the first
 * of a paragraph start with `hanging` instead (e.g. to align under a list item's text).
 */
export function wrap(text: string, width: number, indent: string, hanging = indent): string {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lead = indent;
    for (const word of paragraph.split(/\s+/)) {
      if (line && lead.length + line.length + word.length + 1 > width + indent.length) {
        out.push(lead + line);
        line = word;
        lead = hanging;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(lead + line);
  }
  return out.join('\n');
}
