import { taceSessionHeading } from '../../domain/display-labels';
import type { EvidenceItem, TaceSessionResult } from '../../engine/result';

export interface EvidenceGroup {
  /** `before`, `session-<n>` (1-based), `other` (undated), or `all` when there is no session to group by. */
  readonly key: string;
  readonly heading: string;
  readonly items: EvidenceItem[];
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

/**
 * Evidence by TACE session, by date: an item dated on or after session n's day and before session n + 1's belongs
 * to session n (what was seen after it, and the labs drawn before the next one), except a baseline ("AFP
 * baseline"), which belongs to the session on or after it; items before the first session go under "Before the
 * first TACE"; undated items under "Other". Sessions are the engine's (result.taceSessions);
 * without any, one group `all`. Groups in date order, empty ones left out; items keep their order.
 */
export function groupBySession(
  items: readonly EvidenceItem[],
  sessions: readonly Pick<TaceSessionResult, 'date' | 'kind'>[],
): EvidenceGroup[] {
  if (sessions.length === 0) return [{ key: 'all', heading: '', items: [...items] }];
  const ordered = sessions
    .map((s, i) => ({ s, n: i + 1, day: s.date.slice(0, 10) }))
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.n - b.n));
  const before: EvidenceItem[] = [];
  const other: EvidenceItem[] = [];
  const bySession = ordered.map(() => [] as EvidenceItem[]);
  for (const item of items) {
    const day = item.date.slice(0, 10);
    if (!DAY.test(day)) {
      other.push(item);
      continue;
    }
    let at = -1;
    for (let i = 0; i < ordered.length; i++) if ((ordered[i]?.day ?? '') <= day) at = i;
    // A baseline (the marker value before a TACE) belongs to the session it is the baseline of: the next one.
    if (/\bbaseline\b/i.test(item.label)) {
      const next = ordered.findIndex((o) => o.day >= day);
      if (next >= 0) at = next;
    }
    if (at < 0) before.push(item);
    else bySession[at]?.push(item);
  }
  const groups: EvidenceGroup[] = [];
  if (before.length > 0) groups.push({ key: 'before', heading: 'Before the first TACE', items: before });
  ordered.forEach((o, i) => {
    const list = bySession[i] ?? [];
    if (list.length > 0)
      groups.push({ key: `session-${o.n}`, heading: taceSessionHeading(o.n, o.day, o.s.kind), items: list });
  });
  if (other.length > 0) groups.push({ key: 'other', heading: 'Other', items: other });
  return groups;
}
