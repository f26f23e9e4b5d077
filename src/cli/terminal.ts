// The process's own terminal and standard input, for the real CLI: read all of stdin, a masked prompt for
// secret values (raw mode, `*` echoed, nothing else), and a yes/no question. Prompts go to stderr so stdout
// stays clean for pipes.
import { createInterface } from 'node:readline';
import { AppError } from '../shared/errors';

export async function readAllStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export function promptMasked(
  label: string,
  stdin: NodeJS.ReadStream = process.stdin,
  out: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!stdin.isTTY) {
      reject(new AppError('USAGE', 'no terminal to prompt on', { hint: 'Pipe the value with --stdin.' }));
      return;
    }
    out.write(label);
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: AppError): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: string): void => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new AppError('CANCELLED', 'cancelled at the prompt; nothing changed'));
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = [...value].slice(0, -1).join('');
            out.write('\b \b');
          }
          continue;
        }
        value += ch;
        out.write('*');
      }
    };
    stdin.on('data', onData);
  });
}

export function askYesNo(
  question: string,
  stdin: NodeJS.ReadStream = process.stdin,
  out: NodeJS.WriteStream = process.stderr,
): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stdin, output: out, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}
