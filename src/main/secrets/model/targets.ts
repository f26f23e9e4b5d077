// Which declaration an operation on NAME means. With a component, that component's declaration. Without one
// (allowed for stack and global secrets, unlike Atmos), the stack's shared declaration of NAME: its deployable
// components must agree on one coordinate, and an instance-only secret asks for -c.
import { AppError } from '../../../shared/errors';
import type { ComponentSecrets, PlacedSecret, SecretsModel } from './secrets-index';
import { describeCoordinate, type SecretCoordinate } from './coordinates';
import { notDeclaredError } from './declarations';

export interface SecretTarget {
  readonly stack: string;
  readonly component?: string | undefined;
  readonly name: string;
}

export interface ResolvedTarget {
  readonly stack: string;
  /** The component asked for, or the first deployable component that shares the secret. */
  readonly component: ComponentSecrets;
  readonly secret: PlacedSecret;
}

function findIn(cs: ComponentSecrets, name: string): PlacedSecret | undefined {
  const broken = cs.broken.find((b) => b.name === name);
  if (broken) throw broken.error;
  return cs.secrets.find((s) => s.name === name);
}

export function resolveTarget(ctx: SecretsModel, t: SecretTarget): ResolvedTarget {
  const stack = ctx.workspace.resolveStack(t.stack).name;
  if (t.component !== undefined && t.component !== '') {
    const cs = ctx.index.component(stack, t.component);
    const secret = findIn(cs, t.name);
    if (!secret) throw notDeclaredError(t.name, undefined, t.component);
    return { stack, component: cs, secret };
  }
  const shared: { cs: ComponentSecrets; secret: PlacedSecret }[] = [];
  const instanceOnly: string[] = [];
  const unloadable: { component: string; error: AppError }[] = [];
  for (const c of ctx.index.deployable(stack)) {
    let cs: ComponentSecrets;
    try {
      cs = ctx.index.component(stack, c.name, c.type);
    } catch (e) {
      // One broken component must not block secrets the others share; it is reported if nothing is found.
      if (e instanceof AppError) {
        unloadable.push({ component: c.name, error: e });
        continue;
      }
      throw e;
    }
    const secret = cs.secrets.find((s) => s.name === t.name);
    if (!secret) {
      // A broken shared declaration is the answer (its error); a broken instance one still needs -c.
      const b = cs.broken.find((x) => x.name === t.name);
      if (b && b.scope !== 'instance') throw b.error;
      if (b) instanceOnly.push(c.name);
      continue;
    }
    if (secret.declaration.scope === 'instance') instanceOnly.push(c.name);
    else shared.push({ cs, secret });
  }
  const keys = new Set(shared.map((s) => s.secret.coordinate.key));
  const first = shared[0];
  if (first && keys.size === 1) return { stack, component: first.cs, secret: first.secret };
  if (keys.size > 1) {
    const where = shared.map((s) => `${s.cs.component} -> ${describeCoordinate(s.secret.coordinate)}`).join('; ');
    throw new AppError(
      'USAGE',
      `secret "${t.name}" resolves to different values in stack ${stack}; pass -c/--component to choose one`,
      { hint: where },
    );
  }
  if (instanceOnly.length > 0) {
    throw new AppError('USAGE', `secret "${t.name}" is instance-scoped in stack ${stack}; pass -c/--component`, {
      hint: `Components that declare it: ${instanceOnly.join(', ')}.`,
    });
  }
  const err = notDeclaredError(t.name);
  const broken = unloadable[0];
  if (broken) {
    throw new AppError(err.code, err.message, {
      ...(broken.error.location ? { location: broken.error.location } : {}),
      hint: `No component of stack ${stack} that loads declares it, and component "${broken.component}" does not load: ${broken.error.message}. Fix it, or pass -c/--component.`,
    });
  }
  throw new AppError(err.code, err.message, {
    hint: `No component of stack ${stack} declares it as a stack or global secret. Add secrets.vars.${t.name} with store: or sops:.`,
  });
}

/** Where a value lives, by the backend's own name (never the value), for a secret's detail in the app. */
export interface BackendLocation {
  /** A store's native name (SSM parameter, keychain account, Vault path, ...), or a SOPS file and key. */
  readonly location: string;
  /** A 1Password secret's resolved `op://vault/item/field` reference. */
  readonly reference?: string | undefined;
}

export function backendLocation(c: SecretCoordinate): BackendLocation {
  switch (c.kind) {
    case 'store':
      // A 1Password store's native name is the reference rendered for this stack and component.
      return c.storeKind === 'onepassword'
        ? { location: c.nativeName, reference: c.nativeName }
        : { location: c.nativeName };
    case 'sops':
      return { location: `${c.file}: ${c.keyPath}` };
    default: {
      const never: never = c;
      throw new AppError('INTERNAL', `unexpected coordinate ${String(never)}`);
    }
  }
}
