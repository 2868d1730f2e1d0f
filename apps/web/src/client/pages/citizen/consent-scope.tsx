import { FormattedMessage, useIntl } from 'react-intl';
import type { ConsentSummary } from './api-shapes';
import { useNames } from './names';

/** A consent's scope as one sentence: who may see what, for which purpose, over which period. */
export function ConsentScope({ consent }: { consent: Pick<ConsentSummary, 'categories' | 'recipient' | 'purpose' | 'validFrom' | 'validUntil'> }) {
  const names = useNames();
  const intl = useIntl();
  const day = (instant: string) => intl.formatDate(instant, { dateStyle: 'long' });
  return (
    <p className="consent-scope">
      <FormattedMessage
        id="citizen.consent.scope"
        values={{
          professions: names.professions(consent.recipient.roles),
          area: names.welfareArea(consent.recipient.welfareAreaId),
          categories: names.categories(consent.categories),
          purpose: consent.purpose,
          from: day(consent.validFrom),
          until: consent.validUntil ? day(consent.validUntil) : '',
          bounded: consent.validUntil ? 'yes' : 'no',
        }}
      />
    </p>
  );
}
