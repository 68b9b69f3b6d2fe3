import { createContext, useContext } from 'react';
import type { ImagingAssessment, ImagingFinding, ImagingFindingType } from '../../domain/imaging';
import type { Timeline } from '../../domain/timeline';
import { findingEvidence } from '../../engine/evidence';
import type { EvidenceItem } from '../../engine/result';

/**
 * What the result's evidence items do not carry but the timeline does: the matched words of each report sentence
 * (for <mark>) and the whole report text, looked up by resource reference ("DiagnosticReport/123").
 */
export interface SourceIndex {
  /**
   * The words the finding behind this evidence item was read from. A sentence often gives several findings
   * ("LR-5 observation, 3.2 cm, LI-RADS TR viable": a size and a category): the finding is the one whose evidence,
   * built the way the engine builds it, has this item's value and unit, and whose type the label names.
   */
  matchedFor(item: EvidenceItem): string | undefined;
  /** The matched words of the first finding read from this sentence (kept for callers without an item). */
  matchedWords(ref: string, sentence: string): string | undefined;
  report(ref: string): ImagingAssessment | undefined;
}

/** Which finding type an engine evidence label speaks of (engine/findings.ts labels), when it says. */
function typesNamed(label: string): readonly ImagingFindingType[] | undefined {
  const l = label.toLowerCase();
  if (/vascular invasion|tumou?r thrombus|portal vein|hepatic vein/.test(l)) return ['vascular-invasion'];
  if (/new extrahepatic/.test(l)) return ['new-lesions', 'extrahepatic-spread'];
  if (/extrahepatic/.test(l)) return ['extrahepatic-spread'];
  if (/new .*lesion/.test(l)) return ['new-lesions'];
  if (/lipiodol/.test(l)) return ['lipiodol-deposition'];
  if (/viable tumou?r|necrosis/.test(l)) return ['viable-percent'];
  if (/largest|a tumou?r of|\bcm\b/.test(l)) return ['largest-diameter'];
  if (/intrahepatic tumou?r/.test(l)) return ['tumor-count'];
  if (/m?recist|easl|li-rads|recicl|mcode|response|disease|viable|equivocal|evaluable/.test(l))
    return ['response'];
  return undefined;
}

/** The words of a finding an engine label repeats ("right portal vein", "Vp3", "lung"). */
function detailOf(f: ImagingFinding): string[] {
  if (f.type === 'vascular-invasion') return [f.vessel, f.vp].filter((x): x is string => !!x);
  if (f.type === 'extrahepatic-spread') return f.site ? [f.site] : [];
  return [];
}

function sameValue(item: EvidenceItem, f: ImagingFinding, a: ImagingAssessment): boolean {
  const e = findingEvidence(a, f, '');
  return String(e.value ?? '') === String(item.value ?? '') && (e.unit ?? '') === (item.unit ?? '');
}

export function buildSourceIndex(timeline: Timeline | undefined): SourceIndex {
  const byRef = new Map<string, ImagingAssessment>();
  for (const a of timeline?.imaging ?? []) byRef.set(`${a.source.resourceType}/${a.source.id}`, a);
  const inSentence = (
    ref: string,
    sentence: string,
  ): { a: ImagingAssessment; fs: ImagingFinding[] } | undefined => {
    const a = byRef.get(ref);
    if (!a) return undefined;
    return { a, fs: a.findings.filter((f) => f.evidence.sentence === sentence && f.evidence.matched) };
  };
  return {
    matchedFor(item) {
      if (!item.sentence) return undefined;
      const found = inSentence(item.ref, item.sentence);
      if (!found || found.fs.length === 0) return undefined;
      const { a, fs } = found;
      if (fs.length === 1) return fs[0]?.evidence.matched;
      const types = typesNamed(item.label);
      const ofType = types ? fs.filter((f) => types.includes(f.type)) : fs;
      const pool = ofType.length > 0 ? ofType : fs;
      const same = pool.filter((f) => sameValue(item, f, a));
      // Several findings of one type and value in one sentence come from the same words: any of them marks them.
      const named = same.find((f) => detailOf(f).some((d) => item.label.includes(d)));
      const pick = named ?? same[0] ?? (types && ofType.length > 0 ? ofType[0] : undefined);
      return pick?.evidence.matched;
    },
    matchedWords(ref, sentence) {
      return inSentence(ref, sentence)?.fs[0]?.evidence.matched;
    },
    report: (ref) => byRef.get(ref),
  };
}

export const SourceIndexContext = createContext<SourceIndex>(buildSourceIndex(undefined));

export function useSourceIndex(): SourceIndex {
  return useContext(SourceIndexContext);
}
