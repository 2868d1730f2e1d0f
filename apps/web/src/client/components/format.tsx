import { FormattedDate, FormattedDateParts, useIntl } from 'react-intl';

/** A moment in the user's language and Finland's time zone, with a machine-readable <time>. */
export function DateTime({ value }: { value: string | number | Date }) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{String(value)}</>;
  return (
    <time dateTime={date.toISOString()}>
      <FormattedDate value={date} dateStyle="medium" timeStyle="short" />
    </time>
  );
}

/** A calendar day (YYYY-MM-DD from the API) in the user's language. */
export function Day({ value }: { value: string }) {
  const date = new Date(`${value}T12:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <time dateTime={value}>
      <FormattedDateParts value={date} dateStyle="long" timeZone="UTC">
        {(parts) => <>{parts.map((p) => p.value).join('')}</>}
      </FormattedDateParts>
    </time>
  );
}

/** The label of a data category, profession, basis or outcome in the user's language (common.* catalogues). */
export function useTerms() {
  const intl = useIntl();
  const term = (kind: 'category' | 'role' | 'basis' | 'outcome' | 'reason', value: string) => {
    const id = `common.${kind}.${value}`;
    return intl.messages[id] ? intl.formatMessage({ id }) : value;
  };
  return term;
}
