// `atmos-secret exec -- CMD` and `shell`: the child's environment gets each declared, initialized secret under
// its own name (missing ones skipped with a warning); its exit code becomes ours. Values never go in argv.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors';
import type { CliContext } from '../context';
import { ExitWith } from '../exit';
import { addTargetOptions, componentOf, requireStack, serviceFor, type TargetOptions } from '../secret-options';

interface ExecOptions extends TargetOptions {
  readonly componentEnv?: boolean;
}

export function registerSecretExec(program: Command, ctx: CliContext): void {
  addTargetOptions(
    program
      .command('exec')
      .description(
        'Run a command with the declared secrets in its environment: exec -s STACK -c COMPONENT -- CMD [ARGS...]',
      )
      .argument('<command...>', 'the command and its arguments, after --')
      .option('--component-env', "also set the component's env section (its !secret values resolved)"),
  ).action(async (argv: string[], o: ExecOptions, command: Command) => {
    const [cmd, ...args] = argv;
    if (!cmd) throw new AppError('USAGE', 'exec needs a command after --');
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const r = await svc.exec({
      stack,
      component: componentOf(o, ctx),
      componentEnv: o.componentEnv,
      baseEnv: ctx.env,
      command: cmd,
      args,
      cwd: ctx.cwd,
      onWarning: (w) => ctx.io.stderr(`warning: ${w}\n`),
    });
    if (r.exitCode !== 0) throw new ExitWith(r.exitCode);
  });

  addTargetOptions(
    program
      .command('shell')
      .description('Start a shell ($SHELL, or --shell) with the declared secrets in its environment')
      .argument('[args...]', 'arguments for the shell, after --')
      .option('--shell <path>', 'the shell to run (env ATMOS_SHELL, else $SHELL, else bash)')
      .option('--component-env', "also set the component's env section (its !secret values resolved)"),
  ).action(async (args: string[], o: ExecOptions & { shell?: string }, command: Command) => {
    const stack = requireStack(o, ctx);
    const svc = await serviceFor(command, ctx, o);
    const r = await svc.shell({
      stack,
      component: componentOf(o, ctx),
      componentEnv: o.componentEnv,
      baseEnv: ctx.env,
      shell: o.shell,
      args,
      cwd: ctx.cwd,
      onWarning: (w) => ctx.io.stderr(`warning: ${w}\n`),
    });
    if (r.exitCode !== 0) throw new ExitWith(r.exitCode);
  });
}
