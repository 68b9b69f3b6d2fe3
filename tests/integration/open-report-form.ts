import { fireEvent, screen, within } from '@testing-library/react';

/**
 * Opens a report's correction form as a clinician does (its summary) and waits for the form's fields: a closed
 * report's form is not built (issue 13).
 */
export async function openReportForm(testId: string): Promise<HTMLElement> {
  const form = screen.getByTestId(testId);
  const summary = form.querySelector('summary');
  if (!summary) throw new Error(`${testId} has no summary`);
  fireEvent.click(summary);
  await within(form).findByRole('group');
  return form;
}
