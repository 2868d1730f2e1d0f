import { useEffect, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { ChoiceGroup, fieldId, Form, SelectField, TextArea, TextField, useSubmit } from '../../components/form';
import { useTerms } from '../../components/format';
import { PageTitle, useLoad } from '../../components/status';
import { useLocation } from '../../router';
import { useDraft } from '../../session';
import { BASES, CATEGORIES, type Basis, type DisclosureAnswer, type DisclosureRequestBody, type MyStudentsPage } from './api-shapes';
import { DisclosureAnswerView } from './disclosure-answer';
import { ExplanationPanel } from './explanation-panel';
import { capitalise } from './outcome-list';
import { changed, freshDraft, missingFields, needsCaseId, needsJustification, requestBody, type RequestDraft } from './request-draft';
import { useExplanation } from './use-explanation';

/** Request data (any basis) or emergency access (basis fixed, justification required). */
export type RequestMode = 'request' | 'emergency';

/**
 * The request form with its live explanation, and after sending, the answer. `?studentId=` (from
 * My students) picks the student.
 */
export function RequestPage({ mode }: { mode: RequestMode }) {
  const { search } = useLocation();
  const linkedStudent = search.get('studentId') ?? '';
  const [initial] = useState(() => freshDraft(mode === 'emergency' ? 'emergency' : '', linkedStudent));
  const [draft, setDraft, clearDraft] = useDraft<RequestDraft>(`professional.${mode}`, initial);
  const [sent, setSent] = useState<{ request: DisclosureRequestBody; answer: DisclosureAnswer }>();
  const { busy, problem, run, setProblem } = useSubmit();
  const intl = useIntl();
  const body = requestBody(draft);
  const explanation = useExplanation(sent ? undefined : body);

  // A link from My students names the student; it wins over a draft kept for another student.
  useEffect(() => {
    if (linkedStudent && linkedStudent !== draft.studentId) setDraft((previous) => changed(previous, { studentId: linkedStudent }));
  }, [linkedStudent]);

  const update = (patch: Partial<Omit<RequestDraft, 'requestId'>>) => setDraft((previous) => changed(previous, patch));

  const submit = () => {
    const missing = missingFields(draft, intl.formatMessage({ id: 'common.form.required' }));
    if (missing || !body) {
      setProblem(missing);
      return;
    }
    void run(async () => {
      const answer = await api<DisclosureAnswer>('disclosure', 'v1/disclosures', { method: 'POST', body });
      setSent({ request: body, answer });
      // A cleared draft has no categories, so it cannot be sent again under this requestId unchanged.
      clearDraft();
    });
  };

  // The answer gives way to an empty form: its first field takes the focus the button had.
  const startAgain = () => {
    setSent(undefined);
    setTimeout(() => document.getElementById(fieldId('studentId'))?.focus());
  };

  const fieldError = (field: string) => problem?.fieldMessage(field) ?? explanation.problem?.fieldMessage(field);
  const labels = useFieldLabels(mode);

  return (
    <>
      <PageTitle>
        <FormattedMessage id={mode === 'emergency' ? 'professional.emergency.title' : 'professional.request.title'} />
      </PageTitle>
      {sent ? (
        <DisclosureAnswerView request={sent.request} answer={sent.answer} onNewRequest={startAgain} />
      ) : (
        <>
          {mode === 'emergency' ? (
            <div className="notice notice-warning">
              <p>
                <FormattedMessage id="professional.emergency.intro" />
              </p>
            </div>
          ) : (
            <p>
              <FormattedMessage id="professional.request.intro" />
            </p>
          )}
          <Form onSubmit={submit} problem={problem} busy={busy} fields={labels} submitLabel={<FormattedMessage id={`professional.${mode}.submit`} />} className="request-form">
            <StudentField value={draft.studentId} onChange={(studentId) => update({ studentId })} error={fieldError('studentId')} />
            <CategoriesField values={draft.categories} onChange={(categories) => update({ categories: categories as RequestDraft['categories'] })} error={fieldError('categories')} />
            {mode === 'request' && <BasisField value={draft.basis} onChange={(basis) => update({ basis: basis as Basis })} error={fieldError('basis')} />}
            <TextField
              name="purpose"
              label={labels.purpose}
              hint={<FormattedMessage id="professional.request.purposeHint" />}
              required
              value={draft.purpose}
              onChange={(purpose) => update({ purpose })}
              error={fieldError('purpose')}
            />
            {needsCaseId(draft.basis) && (
              <TextField
                name="caseId"
                label={labels.caseId}
                hint={<FormattedMessage id="professional.request.caseIdHint" />}
                required
                value={draft.caseId}
                onChange={(caseId) => update({ caseId })}
                error={fieldError('caseId')}
              />
            )}
            {needsJustification(draft.basis) && (
              <TextArea
                name="justification"
                label={labels.justification}
                hint={<FormattedMessage id={draft.basis === 'emergency' ? 'professional.emergency.justificationHint' : 'professional.request.justificationHint'} />}
                required
                value={draft.justification}
                onChange={(justification) => update({ justification })}
                error={fieldError('justification')}
              />
            )}
            <ExplanationPanel state={explanation} complete={body !== undefined} onRecheck={() => update({})} />
          </Form>
        </>
      )}
    </>
  );
}

/** The form's labels by the API's field names: for the fields and for the error summary's links. */
function useFieldLabels(mode: RequestMode) {
  const intl = useIntl();
  const label = (field: string) => intl.formatMessage({ id: `professional.request.${field}` });
  return {
    studentId: label('studentId'),
    categories: label('categories'),
    ...(mode === 'request' && { basis: label('basis') }),
    purpose: label('purpose'),
    caseId: label('caseId'),
    justification: label('justification'),
  } as Record<string, string>;
}

/**
 * The student, chosen from those the professional serves today (GET /v1/me/students). A student
 * named by a link but not in the list stays selectable: whether the request may be made is the
 * decision's to say. If the list cannot be read, the id can be typed.
 */
function StudentField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const intl = useIntl();
  const students = useLoad((signal) => api<MyStudentsPage>('disclosure', 'v1/me/students', { query: { limit: 1000 }, signal }), []);
  const label = intl.formatMessage({ id: 'professional.request.studentId' });
  if (students.problem) {
    return <TextField name="studentId" label={label} required value={value} onChange={onChange} error={error} hint={<FormattedMessage id="professional.request.studentIdTyped" />} />;
  }
  const ids = [...new Set([...(students.data?.students ?? []).map((s) => s.studentId), ...(value ? [value] : [])])];
  return (
    <SelectField
      name="studentId"
      label={label}
      required
      value={value}
      onChange={onChange}
      error={error}
      placeholder={intl.formatMessage({ id: students.loading ? 'common.status.loading' : 'professional.request.studentPlaceholder' })}
      options={ids.map((id) => ({ value: id, label: id }))}
    />
  );
}

function CategoriesField({ values, onChange, error }: { values: readonly string[]; onChange: (values: string[]) => void; error?: string }) {
  const term = useTerms();
  const intl = useIntl();
  return (
    <ChoiceGroup
      name="categories"
      multiple
      required
      label={intl.formatMessage({ id: 'professional.request.categories' })}
      hint={<FormattedMessage id="professional.request.categoriesHint" />}
      values={values}
      onChange={onChange}
      error={error}
      options={CATEGORIES.map((category) => ({ value: category, label: capitalise(term('category', category)) }))}
    />
  );
}

/** The four bases, each with what it covers and what it needs, in plain words. */
function BasisField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const term = useTerms();
  const intl = useIntl();
  return (
    <ChoiceGroup
      name="basis"
      required
      label={intl.formatMessage({ id: 'professional.request.basis' })}
      value={value}
      onChange={onChange}
      error={error}
      options={BASES.map((basis) => ({
        value: basis,
        label: capitalise(term('basis', basis)),
        hint: <FormattedMessage id={`professional.basis.${basis}.hint`} />,
      }))}
    />
  );
}
