/** Engine settings: boundaries where sources disagree (clinical-reference.md), with their defaults. */
import type { EngineSettings } from './result';
import { CP_ALBUMIN_MIDDLE_LOW_G_DL } from './scores/child-pugh';
import { ALBI_PAIRING_DAYS } from './scores/albi';

/** Response imaging counts for a session when dated 28–95 days after it (clinical-reference §2; JSH "1–3 months"). */
export const IMAGING_WINDOW_MIN_DAYS = 28;
export const IMAGING_WINDOW_MAX_DAYS = 95;
/** Kudo 2025 drug-off: markers normal > 12–24 weeks; default 12. */
export const DRUG_OFF_WEEKS_DEFAULT = 12;

export const DEFAULT_SETTINGS: EngineSettings = {
  viableBoundary: '>=50',
  markerSessions: 1,
  imagingWindowMinDays: IMAGING_WINDOW_MIN_DAYS,
  imagingWindowMaxDays: IMAGING_WINDOW_MAX_DAYS,
  drugOffWeeks: DRUG_OFF_WEEKS_DEFAULT,
  childPughAlbuminMiddleLow: CP_ALBUMIN_MIDDLE_LOW_G_DL,
  recicl: '6th',
  pairingDays: ALBI_PAIRING_DAYS,
};

export function resolveSettings(partial: Partial<EngineSettings> | undefined): EngineSettings {
  const s: EngineSettings = { ...DEFAULT_SETTINGS };
  if (!partial) return s;
  if (partial.viableBoundary === '>50' || partial.viableBoundary === '>=50')
    s.viableBoundary = partial.viableBoundary;
  if (partial.markerSessions === 1 || partial.markerSessions === 2) s.markerSessions = partial.markerSessions;
  const num = (v: unknown, lo: number, hi: number): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
  if (num(partial.imagingWindowMinDays, 0, 365)) s.imagingWindowMinDays = partial.imagingWindowMinDays;
  if (num(partial.imagingWindowMaxDays, 0, 730)) s.imagingWindowMaxDays = partial.imagingWindowMaxDays;
  if (num(partial.drugOffWeeks, 12, 24)) s.drugOffWeeks = partial.drugOffWeeks;
  if (partial.childPughAlbuminMiddleLow === 2.8 || partial.childPughAlbuminMiddleLow === 3) {
    s.childPughAlbuminMiddleLow = partial.childPughAlbuminMiddleLow;
  }
  if (partial.recicl === '6th' || partial.recicl === 'older') s.recicl = partial.recicl;
  if (num(partial.pairingDays, 0, 30)) s.pairingDays = partial.pairingDays;
  return s;
}
