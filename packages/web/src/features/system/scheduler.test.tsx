import { describe, expect, it } from 'vitest';
import { describeCron, describeSchedule, formatRelative, formatUptime, lastRunStatus } from './scheduler';

describe('scheduler view', () => {
  it.each([
    ['*/5 * * * *', 'every 5 minutes'],
    ['*/1 * * * *', 'every minute'],
    ['* * * * *', 'every minute'],
    ['17 * * * *', 'hourly at :17'],
    ['30 2 * * *', 'daily at 02:30'],
    ['41 3 * * *', 'daily at 03:41'],
    ['0 6 * * 1', 'weekly on Monday at 06:00'],
    ['0 6 * * 7', 'weekly on Sunday at 06:00'],
    ['0 6 1 * *', '0 6 1 * *'],
    ['0 6 * * 1-5', '0 6 * * 1-5'],
    ['not a cron', 'not a cron'],
  ])('describes %s as "%s"', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it('says "off" for a job without a schedule', () => {
    expect(describeSchedule({ cron: null, enabled: false, onDemand: false })).toBe('off');
    expect(describeSchedule({ cron: null, enabled: false, onDemand: true })).toBe('on demand');
    expect(describeSchedule({ cron: '30 2 * * *', enabled: true, onDemand: false })).toBe('daily at 02:30');
  });

  it('gives distances in time both ways', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(formatRelative('2026-03-01T12:04:10Z', now)).toBe('in 4 min');
    expect(formatRelative('2026-03-01T14:05:00Z', now)).toBe('in 2 h 5 min');
    expect(formatRelative('2026-03-01T13:00:00Z', now)).toBe('in 1 h');
    expect(formatRelative('2026-02-27T08:00:00Z', now)).toBe('2 d 4 h ago');
    expect(formatRelative('2026-03-01T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-03-01T12:00:20Z', now)).toBe('within a minute');
  });

  it('formats uptime to its two largest units', () => {
    expect(formatUptime(45)).toBe('45 s');
    expect(formatUptime(12 * 60 + 5)).toBe('12 min');
    expect(formatUptime(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatUptime(2 * 86400 + 4 * 3600 + 59)).toBe('2 d 4 h');
    expect(formatUptime(86400)).toBe('1 d');
  });

  it('calls a job that never ran "never"', () => {
    expect(lastRunStatus({ lastRun: null })).toBe('never');
  });
});
