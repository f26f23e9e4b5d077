// The `atmos-secret exec` line for the selected component, ready to copy into a terminal.
import { useState, type ReactNode } from 'react';
import { call } from '../../ipc/client';
import { useAsync } from '../../ui/use-async';

export function ExecLine({ stack, component }: { stack: string; component: string }): ReactNode {
  const [line] = useAsync(() => call('secrets:execLine', { stack, component }));
  const [copied, setCopied] = useState(false);
  if (line.status !== 'ready') return null;
  return (
    <div className="card exec-line">
      <h2>Run a command with these secrets</h2>
      <div className="row">
        <code data-testid="exec-line">{line.value.command}</code>
        <button
          type="button"
          className="ghost"
          onClick={() => void call('clipboard:write', { text: line.value.command }).then(() => setCopied(true))}
          data-testid="copy-exec-line"
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
