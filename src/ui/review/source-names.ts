import { modalityLabel } from '../../domain/display-labels';
import type { SourceName } from '../../note/assessment-summary';
import type { SourceIndex } from '../evidence/source-index';

/** "CT report", "MRI report" from the timeline's imaging; the summary falls back to "report" when unknown. */
export function sourceNamer(index: SourceIndex): SourceName {
  return (ref) => {
    const report = index.report(ref);
    if (!report) return undefined;
    return `${modalityLabel(report.modality)} report`;
  };
}
