import type { SourceName } from '../../note/assessment-summary';
import type { SourceIndex } from '../evidence/source-index';

const MODALITY_WORDS: Record<string, string> = {
  CT: 'CT report',
  MR: 'MRI report',
  US: 'ultrasound report',
  PET: 'PET report',
  XA: 'angiography report',
};

/** "CT report", "MRI report" from the timeline's imaging; the summary falls back to "report" when unknown. */
export function sourceNamer(index: SourceIndex): SourceName {
  return (ref) => {
    const report = index.report(ref);
    if (!report) return undefined;
    return (report.modality && MODALITY_WORDS[report.modality]) ?? 'imaging report';
  };
}
