// One backend's emulator in a process of its own, so its work (parsing, storing, answering) runs beside the
// adapter under test instead of taking turns with it on one event loop: a real service's CPU is not ours. The
// parent drives it over the IPC channel: latency, call counts, stop. It listens on 127.0.0.1 only.
import { start as startAsm } from '../../test/support/emulators/aws-asm';
import { EMULATOR_KEY } from '../../test/support/emulators/aws-json/store-fixtures';
import { start as startSsm } from '../../test/support/emulators/aws-ssm';
import { start as startAzure } from '../../test/support/emulators/azure-keyvault';
import { start as startGcp } from '../../test/support/emulators/gcp-secretmanager';
import { start as startVault } from '../../test/support/emulators/vault';
import type { CallCounter } from '../../test/support/emulators/http-util';

export type HostRequest =
  | { readonly op: 'latency'; readonly ms: number }
  | { readonly op: 'reset' }
  | { readonly op: 'total' }
  | { readonly op: 'stop' };

export type HostReply =
  | { readonly op: 'ready'; readonly options: Record<string, unknown> }
  | { readonly op: 'done'; readonly total?: number };

interface Started {
  readonly emulator: { readonly calls: CallCounter; setLatency(ms: number): void; stop(): Promise<void> };
  readonly options: Record<string, unknown>;
}

async function startKind(kind: string): Promise<Started> {
  switch (kind) {
    case 'aws/ssm': {
      const e = await startSsm({ accessKeyIds: [EMULATOR_KEY] });
      return { emulator: e, options: { region: 'us-east-1', endpoint: e.url, prefix: 'atmos' } };
    }
    case 'aws/asm': {
      const e = await startAsm({ accessKeyIds: [EMULATOR_KEY] });
      return { emulator: e, options: { region: 'us-east-1', endpoint: e.url, prefix: 'atmos' } };
    }
    case 'hashicorp/vault': {
      const e = await startVault();
      return { emulator: e, options: { url: e.url, token: e.rootToken, mount: 'secret', prefix: 'atmos' } };
    }
    case 'azure/keyvault': {
      const e = await startAzure();
      return {
        emulator: e,
        options: {
          vault_url: 'https://atmos-bench.vault.azure.net/',
          endpoint: e.url,
          endpoint_insecure: true,
          without_authentication: true,
          prefix: 'atmos',
        },
      };
    }
    case 'gcp/secretmanager': {
      const e = await startGcp();
      return { emulator: e, options: { project_id: 'bench-project', endpoint: e.endpoint, prefix: 'atmos' } };
    }
    default:
      throw new Error(`no emulator for kind ${kind}`);
  }
}

async function main(): Promise<void> {
  const send = (m: HostReply): void => {
    process.send?.(m);
  };
  const { emulator, options } = await startKind(process.argv[2] ?? '');
  // The parent going away ends this process too: the bench never leaves a server behind.
  process.on('disconnect', () => void emulator.stop().finally(() => process.exit(0)));
  process.on('message', (m: HostRequest) => {
    switch (m.op) {
      case 'latency':
        emulator.setLatency(m.ms);
        send({ op: 'done' });
        break;
      case 'reset':
        emulator.calls.reset();
        send({ op: 'done' });
        break;
      case 'total':
        send({ op: 'done', total: emulator.calls.total });
        break;
      case 'stop':
        void emulator.stop().then(() => {
          send({ op: 'done' });
          process.exit(0);
        });
        break;
    }
  });
  send({ op: 'ready', options });
}

void main();
