import { modelTextBlocks, type Span } from './modelTextBlocks.ts';
import './ModelText.css';

function Line({ spans }: { spans: Span[] }) {
  return spans.map((s, i) => (s.bold ? <strong key={i}>{s.text}</strong> : s.text));
}

/**
 * Text a model wrote, shown as text: React escapes every span, so nothing the model writes can
 * become markup or script. Paragraphs, lists and bold are the only formatting.
 */
export function ModelText({ text, testId }: { text: string; testId?: string }) {
  return (
    <div className="model-text" data-testid={testId}>
      {modelTextBlocks(text).map((block, b) =>
        block.kind === 'paragraph' ? (
          <p key={b}>
            {block.lines.map((line, l) => (
              <span key={l} className="model-text__line">
                <Line spans={line} />
              </span>
            ))}
          </p>
        ) : block.ordered ? (
          <ol key={b}>
            {block.items.map((item, i) => (
              <li key={i}>
                <Line spans={item} />
              </li>
            ))}
          </ol>
        ) : (
          <ul key={b}>
            {block.items.map((item, i) => (
              <li key={i}>
                <Line spans={item} />
              </li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}
