import type { Status } from '../../engine/result';

const LABEL: Record<Status, string> = { met: 'Met', 'not-met': 'Not met', indeterminate: 'Indeterminate' };
// Shape and text carry the status; colour only reinforces it (never colour alone).
const ICON: Record<Status, string> = { met: '●', 'not-met': '○', indeterminate: '?' };

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`status status-${status}`} data-status={status}>
      <span aria-hidden="true">{ICON[status]} </span>
      {LABEL[status]}
    </span>
  );
}
