// Shared by the AWS stores (aws/ssm, aws/asm): options, client settings, the call policy, errors, value form.
export * from './aws-call';
export * from './aws-client';
export * from './aws-errors';
export * from './aws-options';
export * from './aws-value';
