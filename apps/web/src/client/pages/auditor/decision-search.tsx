import { useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { Form, TextField } from '../../components/form';
import { LoadedView, PageTitle, useLoad } from '../../components/status';
import { useDraft } from '../../session';
import type { DecisionPage } from './api-shapes';
import { DecisionTable } from './decision-table';
import { Pager, useCursorPages, useFocusAfterPaging } from '../../components/pager';
import { TABLE_PAGE_SIZE } from './page-sizes';
import { dayEnd, dayStart } from './period';

/** The search's fields, named after the API's query parameters so its field errors land on them. */
interface Filter {
  readonly studentId: string;
  readonly professionalId: string;
  readonly from: string;
  readonly to: string;
}

const NO_FILTER: Filter = { studentId: '', professionalId: '', from: '', to: '' };

/**
 * The auditor's search of the decisions in their organisation's scope (GET /v1/audit/disclosures)
 * and its supervision list (GET /v1/audit/supervision: the same search, flagged decisions only).
 * The form is a draft until it is sent; the list shows the last filter sent, a page at a time.
 */
export function DecisionSearch({ list }: { list: 'disclosures' | 'supervision' }) {
  const intl = useIntl();
  const [draft, setDraft] = useDraft<Filter>(`auditor.${list}`, NO_FILTER);
  const [applied, setApplied] = useState<Filter>(draft);
  const pages = useCursorPages();
  const loaded = useLoad(
    (signal) =>
      api<DecisionPage>('disclosure', `v1/audit/${list}`, {
        signal,
        query: { studentId: applied.studentId.trim(), professionalId: applied.professionalId.trim(), from: dayStart(applied.from), to: dayEnd(applied.to), cursor: pages.cursor, limit: TABLE_PAGE_SIZE },
      }),
    [list, applied, pages.cursor],
  );
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  useFocusAfterPaging(pages, loaded.loading, resultsHeading);
  // A refused filter (400) is the form's problem, shown next to the fields; anything else is the list's.
  const formProblem = loaded.problem?.status === 400 ? loaded.problem : undefined;
  const field = (name: keyof Filter) => ({
    name,
    value: draft[name],
    onChange: (value: string) => setDraft((previous) => ({ ...previous, [name]: value })),
    error: formProblem?.fieldMessage(name),
  });
  const search = () => {
    pages.restart();
    setApplied({ ...draft });
  };
  const labels = {
    studentId: intl.formatMessage({ id: 'auditor.filter.studentId' }),
    professionalId: intl.formatMessage({ id: 'auditor.filter.professionalId' }),
    from: intl.formatMessage({ id: 'auditor.filter.from' }),
    to: intl.formatMessage({ id: 'auditor.filter.to' }),
  };
  return (
    <>
      <PageTitle>
        <FormattedMessage id={`auditor.${list}.title`} />
      </PageTitle>
      <p>
        <FormattedMessage id={`auditor.${list}.intro`} />
      </p>
      <section className="panel" aria-labelledby={`auditor-${list}-filter`}>
        <h2 id={`auditor-${list}-filter`}>
          <FormattedMessage id="auditor.filter.heading" />
        </h2>
        <Form onSubmit={search} problem={formProblem} busy={loaded.loading} submitLabel={<FormattedMessage id="auditor.filter.submit" />} fields={labels} className="auditor-filter">
          <TextField {...field('studentId')} label={labels.studentId} hint={<FormattedMessage id="auditor.filter.studentIdHint" />} maxLength={200} />
          <TextField {...field('professionalId')} label={labels.professionalId} hint={<FormattedMessage id="auditor.filter.professionalIdHint" />} maxLength={200} />
          <TextField {...field('from')} type="date" label={labels.from} />
          <TextField {...field('to')} type="date" label={labels.to} />
        </Form>
      </section>
      <section aria-labelledby={`auditor-${list}-results`} aria-live="polite" aria-busy={loaded.loading}>
        <h2 id={`auditor-${list}-results`} tabIndex={-1} ref={resultsHeading}>
          <FormattedMessage id="auditor.results.heading" />
        </h2>
        {formProblem ? (
          <p>
            <FormattedMessage id="auditor.results.fixFilter" />
          </p>
        ) : (
          <LoadedView loaded={loaded.loading ? { ...loaded, data: undefined } : loaded}>
            {(page) =>
              page.disclosures.length === 0 ? (
                <p>
                  <FormattedMessage id={`auditor.${list}.empty`} />
                </p>
              ) : (
                <>
                  <DecisionTable decisions={page.disclosures} caption={intl.formatMessage({ id: `auditor.${list}.caption` }, { count: page.disclosures.length, page: pages.page })} />
                  <Pager pages={pages} nextCursor={page.nextCursor} label={intl.formatMessage({ id: 'auditor.pager.label' })} />
                </>
              )
            }
          </LoadedView>
        )}
      </section>
    </>
  );
}
