import { createContext, useContext } from 'react';
import type { ImagingAssessment } from '../../domain/imaging';
import type { Timeline } from '../../domain/timeline';

/**
 * What the result's evidence items do not carry but the timeline does: the matched words of each report sentence
 * (for <mark>) and the whole report text, looked up by resource reference ("DiagnosticReport/123").
 */
export interface SourceIndex {
  matchedWords(ref: string, sentence: string): string | undefined;
  report(ref: string): ImagingAssessment | undefined;
}

export function buildSourceIndex(timeline: Timeline | undefined): SourceIndex {
  const byRef = new Map<string, ImagingAssessment>();
  for (const a of timeline?.imaging ?? []) byRef.set(`${a.source.resourceType}/${a.source.id}`, a);
  return {
    matchedWords(ref, sentence) {
      const a = byRef.get(ref);
      if (!a) return undefined;
      for (const f of a.findings) {
        if (f.evidence.sentence === sentence && f.evidence.matched) return f.evidence.matched;
      }
      return undefined;
    },
    report: (ref) => byRef.get(ref),
  };
}

export const SourceIndexContext = createContext<SourceIndex>(buildSourceIndex(undefined));

export function useSourceIndex(): SourceIndex {
  return useContext(SourceIndexContext);
}
