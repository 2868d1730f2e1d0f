import { FormattedMessage } from 'react-intl';
import { useTerms } from '../../components/format';
import type { CategoryOutcome, Outcome } from './api-shapes';

/**
 * Per category: released or denied (in words, not colour alone), the API's reason in the user's
 * language and the legal source it rests on. `tense` says whether this is an explanation (what
 * would happen) or a decision (what happened).
 */
export function OutcomeList({ categories, tense }: { categories: readonly CategoryOutcome[]; tense: 'would' | 'did' }) {
  const term = useTerms();
  return (
    <ul className="outcomes">
      {categories.map((c) => (
        <li key={c.category} className={`outcome outcome-${c.outcome}`}>
          <p className="outcome-head">
            <strong>{capitalise(term('category', c.category))}</strong>{' '}
            <span className={`tag tag-${c.outcome}`}>
              <FormattedMessage id={`professional.outcome.${tense}.${c.outcome}`} />
            </span>
          </p>
          <p className="outcome-reason">{c.message}</p>
          <p className="hint outcome-source">
            <FormattedMessage id="professional.outcome.source" values={{ source: c.source }} />
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The whole request's outcome as a tag: permit, partial or deny. */
export function OutcomeTag({ outcome }: { outcome: Outcome }) {
  const term = useTerms();
  return <span className={`tag tag-${outcome}`}>{term('outcome', outcome)}</span>;
}

export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
