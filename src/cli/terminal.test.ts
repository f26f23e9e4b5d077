// The terminal helpers with fake streams: all of stdin, the masked prompt (echoes `*`, handles backspace and
// Ctrl-C, restores the mode) and the yes/no question.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { AppError } from '../shared/errors';
import { promptMasked, readAllStdin } from './terminal';

function fakeTty(): { input: NodeJS.ReadStream; output: NodeJS.WriteStream; written: () => string; modes: boolean[] } {
  const input = new PassThrough() as unknown as NodeJS.ReadStream & { isRaw: boolean };
  const modes: boolean[] = [];
  Object.assign(input, {
    isTTY: true,
    isRaw: false,
    setRawMode(m: boolean) {
      modes.push(m);
      (input as { isRaw: boolean }).isRaw = m;
      return input;
    },
  });
  const chunks: string[] = [];
  const output = { write: (t: string) => (chunks.push(t), true) } as unknown as NodeJS.WriteStream;
  return { input, output, written: () => chunks.join(''), modes };
}

describe('terminal', () => {
  it('reads all of stdin', async () => {
    const s = new PassThrough();
    s.end('line1\nline2\n');
    expect(await readAllStdin(s as unknown as NodeJS.ReadStream)).toBe('line1\nline2\n');
  });

  it('the masked prompt echoes only stars, handles backspace, and restores the mode', async () => {
    const t = fakeTty();
    const p = promptMasked('Value: ', t.input, t.output);
    (t.input as unknown as PassThrough).write('CANARYx\u007f!\r');
    expect(await p).toBe('CANARY!');
    expect(t.written()).toBe('Value: *******\b \b*\n');
    expect(t.written()).not.toContain('CANARY');
    expect(t.modes).toEqual([true, false]);
  });

  it('Ctrl-C cancels; no terminal is a usage error', async () => {
    const t = fakeTty();
    const p = promptMasked('Value: ', t.input, t.output);
    (t.input as unknown as PassThrough).write('abc\u0003');
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const notTty = new PassThrough() as unknown as NodeJS.ReadStream;
    const e = await promptMasked('x', notTty, t.output).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
  });
});
