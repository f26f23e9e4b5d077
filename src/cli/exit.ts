// A command that finishes with a specific exit code (exec/shell pass their child's through) throws this;
// runCli returns the code without printing anything.
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitWith';
  }
}
