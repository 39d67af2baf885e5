export * from './attack';
export * from './audit-logs';
export * from './auth';
export * from './envelopes';
export * from './password-policy';
export * from './system';
export * from './users';
