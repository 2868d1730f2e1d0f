import { useEffect, useRef, type ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { Sending } from '../../../components/form';

/**
 * A destructive action's confirmation as a step in the page, not a browser dialog: a section with
 * a heading that takes the focus (so keyboard and screen reader users land on the question), what
 * will happen, and two buttons. Cancel returns the focus to where the user was (the caller's job).
 */
export function ConfirmStep({
  title,
  level = 2,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  title: ReactNode;
  /** The heading's level: one below the section the step appears in. */
  level?: 2 | 3;
  children: ReactNode;
  confirmLabel: ReactNode;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const Heading = level === 3 ? 'h3' : 'h2';
  return (
    <section className="confirm-step" aria-labelledby="confirm-step-title">
      <Heading id="confirm-step-title" tabIndex={-1} ref={heading}>
        {title}
      </Heading>
      {children}
      <div className="actions">
        <button type="button" className="danger primary" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          <FormattedMessage id="common.cancel" />
        </button>
        <Sending busy={busy} />
      </div>
    </section>
  );
}
