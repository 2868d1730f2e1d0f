import { useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api, apiUrl } from '../../api';
import { ChoiceGroup, Form, TextField, useSubmit } from '../../components/form';
import { PageTitle } from '../../components/status';
import { useDraft } from '../../session';

type Subject = 'studentId' | 'disclosureId';

interface BundleDraft {
  readonly subject: Subject;
  readonly id: string;
}

/** What the page shows of a bundle it has checked: enough to say what the download holds. */
interface BundleSummary {
  readonly query: Record<string, string>;
  readonly events: number;
  readonly complete: boolean;
  readonly verifierKey: string;
  readonly fileName: string;
}

interface BundleAnswer {
  readonly verifierKey: string;
  readonly events: readonly unknown[];
  readonly completeness?: unknown;
}

/**
 * Exporting an offline audit bundle (GET /v1/audit/log/bundle?studentId= or ?disclosureId=): the
 * events in the auditor's scope with their inclusion proofs against one signed checkpoint, which
 * `silta-audit verify-bundle` checks without a database or a network. The form asks the API first,
 * so a refused id is shown next to its field; the link then downloads the same bundle.
 */
export function BundlePage() {
  const intl = useIntl();
  const [draft, setDraft, clearDraft] = useDraft<BundleDraft>('auditor.bundle', { subject: 'studentId', id: '' });
  const [bundle, setBundle] = useState<BundleSummary | undefined>();
  const { busy, problem, run } = useSubmit();
  const labels: Record<Subject, string> = {
    studentId: intl.formatMessage({ id: 'auditor.bundle.studentId' }),
    disclosureId: intl.formatMessage({ id: 'auditor.bundle.disclosureId' }),
  };

  const check = () =>
    void run(async () => {
      setBundle(undefined);
      const id = draft.id.trim();
      const query = { [draft.subject]: id };
      const answer = await api<BundleAnswer>('disclosure', 'v1/audit/log/bundle', { query });
      setBundle({
        query,
        events: answer.events.length,
        complete: answer.completeness !== undefined,
        verifierKey: answer.verifierKey,
        fileName: `audit-bundle-${id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`,
      });
      clearDraft();
    });

  return (
    <>
      <PageTitle>
        <FormattedMessage id="auditor.bundle.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="auditor.bundle.intro" />
      </p>
      <section className="panel" aria-labelledby="auditor-bundle-form">
        <h2 id="auditor-bundle-form">
          <FormattedMessage id="auditor.bundle.formHeading" />
        </h2>
        <Form onSubmit={check} problem={problem} busy={busy} submitLabel={<FormattedMessage id="auditor.bundle.submit" />} fields={labels}>
          <ChoiceGroup
            name="subject"
            label={intl.formatMessage({ id: 'auditor.bundle.subject' })}
            required
            value={draft.subject}
            onChange={(subject) => setDraft((previous) => ({ ...previous, subject: subject as Subject }))}
            options={[
              { value: 'studentId', label: <FormattedMessage id="auditor.bundle.subject.student" />, hint: <FormattedMessage id="auditor.bundle.subject.studentHint" /> },
              { value: 'disclosureId', label: <FormattedMessage id="auditor.bundle.subject.disclosure" /> },
            ]}
          />
          <TextField
            name={draft.subject}
            label={labels[draft.subject]}
            required
            maxLength={200}
            value={draft.id}
            onChange={(id) => setDraft((previous) => ({ ...previous, id }))}
            error={problem?.fieldMessage(draft.subject)}
          />
        </Form>
      </section>
      <section aria-labelledby="auditor-bundle-result" aria-live="polite">
        <h2 id="auditor-bundle-result">
          <FormattedMessage id="auditor.bundle.resultHeading" />
        </h2>
        {bundle ? (
          <>
            <p>
              <FormattedMessage id="auditor.bundle.ready" values={{ count: bundle.events, complete: String(bundle.complete) }} />
            </p>
            <p>
              <a className="button primary" href={apiUrl('disclosure', 'v1/audit/log/bundle', bundle.query)} download={bundle.fileName}>
                <FormattedMessage id="auditor.bundle.download" values={{ fileName: bundle.fileName }} />
              </a>
            </p>
            <h3>
              <FormattedMessage id="auditor.bundle.verifyHeading" />
            </h3>
            <p>
              <FormattedMessage id="auditor.bundle.verifyText" />
            </p>
            <pre className="auditor-command">
              <code>{`silta-audit verify-bundle ${bundle.fileName} --key '${bundle.verifierKey}'`}</code>
            </pre>
            <p className="hint">
              <FormattedMessage id="auditor.bundle.verifyKeyNote" />
            </p>
          </>
        ) : (
          <p>
            <FormattedMessage id="auditor.bundle.none" />
          </p>
        )}
      </section>
    </>
  );
}
