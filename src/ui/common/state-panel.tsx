import type { ReactNode } from 'react';

/** A full-width message in place of content: never a blank page, never a stack trace. */
export function StatePanel(props: {
  title: string;
  children?: ReactNode;
  tone?: 'info' | 'error';
  testId?: string;
}) {
  return (
    <section
      className={`state-panel ${props.tone === 'error' ? 'error' : ''}`}
      role={props.tone === 'error' ? 'alert' : 'status'}
      data-testid={props.testId}
    >
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}
