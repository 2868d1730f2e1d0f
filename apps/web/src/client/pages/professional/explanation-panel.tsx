import { FormattedMessage } from 'react-intl';
import { ProblemText } from '../../components/form';
import { OutcomeList } from './outcome-list';
import type { ExplanationState } from './use-explanation';

/**
 * The live explanation beside the form: what the request as it stands would release, per
 * category, and why. The answer sits in a polite live region, so a screen reader hears each new
 * explanation once the form rests; the "updating" line is outside it, so typing is not narrated.
 */
export function ExplanationPanel({ state, complete, onRecheck }: { state: ExplanationState; complete: boolean; onRecheck: () => void }) {
  const { explanation, problem, pending } = state;
  return (
    <section className="panel explanation" aria-labelledby="explanation-heading">
      <h2 id="explanation-heading">
        <FormattedMessage id="professional.explanation.title" />
      </h2>
      <p className="hint">
        <FormattedMessage id="professional.explanation.intro" />
      </p>
      {complete && pending && (
        <p className="busy">
          <FormattedMessage id="professional.explanation.updating" />
        </p>
      )}
      <div aria-live="polite" className={complete && pending ? 'explanation-result stale' : 'explanation-result'}>
        {!complete ? (
          <p>
            <FormattedMessage id="professional.explanation.incomplete" />
          </p>
        ) : problem && !problem.sessionExpired ? (
          <div className="notice notice-error">
            <p>
              <FormattedMessage id="professional.explanation.failed" />
            </p>
            <ProblemText problem={problem} />
          </div>
        ) : explanation ? (
          <>
            <p className="explanation-summary">
              <strong>
                <FormattedMessage id={`professional.explanation.summary.${explanation.outcome}`} />
              </strong>
            </p>
            <OutcomeList categories={explanation.categories} tense="would" />
          </>
        ) : null}
      </div>
      {complete && !pending && (explanation || problem) && (
        // A consent given or withdrawn meanwhile changes the answer; the form alone would not ask again.
        <button type="button" className="secondary" onClick={onRecheck}>
          <FormattedMessage id="professional.explanation.recheck" />
        </button>
      )}
    </section>
  );
}
