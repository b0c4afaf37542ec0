/**
 * A duration in words, as docker's go-units `HumanDuration` writes it: "Less than a second",
 * "5 seconds", "About a minute", "3 minutes", "About an hour", "2 hours", "3 days", "2 weeks", "3 months", "2 years".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** How long ago `then` (an ISO time) was, seen from `now`: "5 seconds ago", "About a minute ago". */
export function timeAgo(then: string, now: Date): string {
  return `${humanDuration(Math.max(0, now.getTime() - Date.parse(then)))} ago`;
}
