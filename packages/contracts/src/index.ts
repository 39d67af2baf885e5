export * from './envelopes';
export * from './system';
