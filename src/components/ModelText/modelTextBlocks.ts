/**
 * Light formatting of model text, as data for React to render (never as HTML): paragraphs split on
 * blank lines, "- " / "* " / "1. " lines as lists, and **bold** spans. Anything else, including
 * markup the model writes, stays literal text.
 */

/** A run of text, bold or not. */
export interface Span {
  text: string;
  bold: boolean;
}

/** A paragraph (its lines) or a list (its items), each line a list of spans. */
export type Block =
  { kind: 'paragraph'; lines: Span[][] } | { kind: 'list'; ordered: boolean; items: Span[][] };

const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d{1,2}[.)]\s+/;

/** Splits `**bold**` spans; an unclosed `**` stays literal. */
export function spansOf(line: string): Span[] {
  const spans: Span[] = [];
  const pattern = /\*\*([^*\n]+)\*\*/g;
  let last = 0;
  for (const match of line.matchAll(pattern)) {
    if (match.index > last) spans.push({ text: line.slice(last, match.index), bold: false });
    spans.push({ text: match[1]!, bold: true });
    last = match.index + match[0].length;
  }
  if (last < line.length) spans.push({ text: line.slice(last), bold: false });
  return spans;
}

/** The blocks of a model's text. */
export function modelTextBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((l) => l.trim() !== '');
    let paragraph: Span[][] = [];
    let list: { ordered: boolean; items: Span[][] } | null = null;
    const flush = () => {
      if (paragraph.length) blocks.push({ kind: 'paragraph', lines: paragraph });
      if (list) blocks.push({ kind: 'list', ...list });
      paragraph = [];
      list = null;
    };
    for (const line of lines) {
      const ordered = NUMBERED.test(line);
      if (ordered || BULLET.test(line)) {
        if (paragraph.length || (list && list.ordered !== ordered)) flush();
        list ??= { ordered, items: [] };
        list.items.push(spansOf(line.replace(ordered ? NUMBERED : BULLET, '')));
      } else {
        if (list) flush();
        paragraph.push(spansOf(line));
      }
    }
    flush();
  }
  return blocks;
}
