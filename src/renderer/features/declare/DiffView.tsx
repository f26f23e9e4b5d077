// A unified diff as main made it, each line coloured by its mark (+ added, - removed, @@ a hunk header).
import type { ReactNode } from 'react';
import './declare.css';

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-ctx';
}

export function DiffView({ diff, testId }: { diff: string; testId?: string }): ReactNode {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    // Focusable: a long diff scrolls, and keyboard users must reach it.
    <pre className="diff-view" data-testid={testId ?? 'diff'} aria-label="Changes to the file" tabIndex={0}>
      {lines.map((l, i) => (
        // Lines of a diff have no identity beyond their place in it: the index is the key.
        <span key={i} className={lineClass(l)}>
          {l}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
