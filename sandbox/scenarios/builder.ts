/**
 * Scenario builder: deterministic ids, dates relative to the synthetic world's "today" (anchorDate), and a seeded
 * PRNG. Every scenario gets its own builder, so adding one scenario never changes another's output.
 */
import type { Resource } from '@medplum/fhirtypes';

/** mulberry32: tiny 32-bit seeded PRNG (Tommy Ettinger's public-domain generator). Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string: a stable seed per scenario id. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const DEFAULT_ANCHOR_DATE = '2026-11-01';
const DAY_MS = 86_400_000;

export type IdKind = 'obs' | 'dr' | 'img' | 'proc' | 'med' | 'cond';

export class ScenarioBuilder {
  readonly resources: Resource[] = [];
  readonly random: () => number;
  private readonly anchorMs: number;
  private readonly counters = new Map<IdKind, number>();

  constructor(
    readonly id: string,
    readonly anchorDate: string,
  ) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(anchorDate))
      throw new Error(`anchorDate must be YYYY-MM-DD, got "${anchorDate}"`);
    this.anchorMs = Date.parse(`${anchorDate}T00:00:00Z`);
    if (Number.isNaN(this.anchorMs)) throw new Error(`anchorDate is not a date: "${anchorDate}"`);
    this.random = mulberry32(hashSeed(id));
  }

  get patientRef(): string {
    return `Patient/${this.id}`;
  }
  get encounterRef(): string {
    return `Encounter/${this.id}-enc`;
  }
  get hccRef(): string {
    return `Condition/${this.id}-cond-hcc`;
  }

  nextId(kind: IdKind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${this.id}-${kind}-${n}`;
  }

  add<T extends Resource>(resource: T): T {
    this.resources.push(resource);
    return resource;
  }

  /** `YYYY-MM-DD` of a day relative to the anchor (0 = anchorDate, negative = past). */
  date(day: number): string {
    return new Date(this.anchorMs + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** Instant of a day relative to the anchor at a given minute of the (UTC) day: `YYYY-MM-DDThh:mm:00Z`. */
  dateTime(day: number, minuteOfDay: number): string {
    return new Date(this.anchorMs + day * DAY_MS + minuteOfDay * 60_000).toISOString().replace('.000Z', 'Z');
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  between(min: number, max: number): number {
    return min + this.random() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new Error('pick() from an empty list');
    return item;
  }
}
