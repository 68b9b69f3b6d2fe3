/**
 * Fault injection for the sandbox's /fhir endpoints (tests and benchmarks). A plan is an ordered list of rules;
 * the first rule that matches a request and still has faults to give decides it.
 */
export type FaultKind = '500' | '429' | 'slow' | 'truncate' | 'expired-token';

export interface FaultRule {
  kind: FaultKind;
  match?: { method?: string; resourceType?: string; pathIncludes?: string };
  /** How many matching requests get the fault (default: all). */
  times?: number;
  /** Let the first N matching requests through. */
  skip?: number;
  /** 429: the Retry-After header (default 1). */
  retryAfterSeconds?: number;
  /** slow: extra delay (default 2000 ms). */
  delayMs?: number;
}

const KINDS: FaultKind[] = ['500', '429', 'slow', 'truncate', 'expired-token'];

/** Validates a plan read from JSON (CLI file or admin API); throws with a readable message. */
export function parseFaultPlan(value: unknown): FaultRule[] {
  if (!Array.isArray(value)) throw new Error('A fault plan is a JSON array of rules.');
  return value.map((rule: unknown, i) => {
    if (typeof rule !== 'object' || rule === null) throw new Error(`Rule ${i} is not an object.`);
    const r = rule as Record<string, unknown>;
    if (!KINDS.includes(r.kind as FaultKind))
      throw new Error(`Rule ${i}: kind must be one of ${KINDS.join(', ')}.`);
    for (const key of ['times', 'skip', 'retryAfterSeconds', 'delayMs']) {
      if (r[key] !== undefined && (typeof r[key] !== 'number' || (r[key] as number) < 0)) {
        throw new Error(`Rule ${i}: ${key} must be a non-negative number.`);
      }
    }
    if (r.match !== undefined && (typeof r.match !== 'object' || r.match === null)) {
      throw new Error(`Rule ${i}: match must be an object.`);
    }
    return rule as FaultRule;
  });
}

export interface FaultRequest {
  method: string;
  /** Path below the FHIR base, e.g. `Observation` or `Patient/123` (no query). */
  path: string;
  /** Full request URL path + query, for `pathIncludes`. */
  url: string;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private seen: number[] = [];

  constructor(rules: FaultRule[] = []) {
    this.setPlan(rules);
  }

  setPlan(rules: FaultRule[]): void {
    this.rules = [...rules];
    this.seen = rules.map(() => 0);
  }

  get plan(): FaultRule[] {
    return [...this.rules];
  }

  /** The fault to apply to this request, if any (counts the request against every rule it matches). */
  next(req: FaultRequest): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    this.rules.forEach((rule, i) => {
      if (!matches(rule, req)) return;
      const n = ++this.seen[i]!;
      const skip = rule.skip ?? 0;
      const times = rule.times ?? Infinity;
      if (!chosen && n > skip && n <= skip + times) chosen = rule;
    });
    return chosen;
  }
}

function matches(rule: FaultRule, req: FaultRequest): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (m.resourceType && req.path.split('/')[0] !== m.resourceType) return false;
  if (m.pathIncludes && !req.url.includes(m.pathIncludes)) return false;
  return true;
}
