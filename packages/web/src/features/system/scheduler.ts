import type { ScheduledJobStatus } from '@aegis/contracts';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const isNumber = (field: string) => /^\d{1,2}$/.test(field);
const pad = (n: string) => n.padStart(2, '0');

/** The common 5-field cron shapes in words; anything else is shown as written. */
export function describeCron(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return cron;
  const [minute = '', hour = '', dayOfMonth, month, dayOfWeek = ''] = fields;
  const everyDay = dayOfMonth === '*' && month === '*';
  if (!everyDay) return cron;
  const step = /^\*\/(\d+)$/.exec(minute);
  if (step && hour === '*' && dayOfWeek === '*')
    return step[1] === '1' ? 'every minute' : `every ${Number(step[1])} minutes`;
  if (minute === '*' && hour === '*' && dayOfWeek === '*') return 'every minute';
  if (isNumber(minute) && hour === '*' && dayOfWeek === '*') return `hourly at :${pad(minute)}`;
  if (isNumber(minute) && isNumber(hour)) {
    const at = `${pad(hour)}:${pad(minute)}`;
    if (dayOfWeek === '*') return `daily at ${at}`;
    const day = /^[0-7]$/.test(dayOfWeek) ? WEEKDAYS[Number(dayOfWeek) % 7] : undefined;
    if (day) return `weekly on ${day} at ${at}`;
  }
  return cron;
}

/**
 * A job's schedule for people: "on demand" for a job that only runs when asked (a sync button, an
 * import), "off" for a scheduled one turned off with JOB_SCHEDULE_<NAME>=off.
 */
export function describeSchedule(job: Pick<ScheduledJobStatus, 'cron' | 'enabled' | 'onDemand'>): string {
  if (job.cron && job.enabled) return describeCron(job.cron);
  return job.onDemand ? 'on demand' : 'off';
}

/** "in 4 min", "2 h 5 min ago", "just now": a distance in time, to the minute. */
export function formatRelative(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const minutes = Math.round(Math.abs(diff) / 60_000);
  if (minutes === 0) return diff >= 0 ? 'within a minute' : 'just now';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const span =
    days > 0
      ? `${days} d${hours ? ` ${hours} h` : ''}`
      : hours > 0
        ? `${hours} h${mins ? ` ${mins} min` : ''}`
        : `${mins} min`;
  return diff >= 0 ? `in ${span}` : `${span} ago`;
}

/** Uptime to the two largest units: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** A job's last run state in the words the badges use elsewhere (runs "succeeded", jobs "completed"). */
export function lastRunStatus(job: Pick<ScheduledJobStatus, 'lastRun'>): string {
  return job.lastRun ? job.lastRun.state : 'never';
}
