// Form parts that meet WCAG 2.1 AA by construction: every field has a visible label, a hint and an
// error tied to it with aria-describedby, aria-invalid on error; a group of choices is a fieldset
// with a legend; after a refused submit the error summary takes the focus and links to each field
// (the GOV.UK / Suomi.fi pattern). Field errors come from the API's problem details (ApiProblem).
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { ApiProblem } from '../api';

export const fieldId = (name: string) => `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface FieldFrame {
  readonly name: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string;
  readonly required?: boolean;
}

function describedBy(name: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : '', error ? `${fieldId(name)}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Hint({ name, hint }: { name: string; hint?: ReactNode }) {
  return hint ? (
    <p className="hint" id={`${fieldId(name)}-hint`}>
      {hint}
    </p>
  ) : null;
}

function ErrorText({ name, error }: { name: string; error?: string }) {
  return error ? (
    <p className="field-error" id={`${fieldId(name)}-error`}>
      <span className="visually-hidden">
        <FormattedMessage id="common.form.errorPrefix" />{' '}
      </span>
      {error}
    </p>
  ) : null;
}

function Label({ name, label, required }: Pick<FieldFrame, 'name' | 'label' | 'required'>) {
  return (
    <label htmlFor={fieldId(name)}>
      {label}
      {!required && (
        <span className="optional">
          {' '}
          <FormattedMessage id="common.form.optional" />
        </span>
      )}
    </label>
  );
}

/** A single-control field: its label, hint and error above the control, tied to it. */
function FieldShell({ frame, children }: { frame: FieldFrame; children: ReactNode }) {
  const { name, label, hint, error, required } = frame;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <Label name={name} label={label} required={required} />
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      {children}
    </div>
  );
}

/** The attributes that tie a control to its field: id, name, required, aria-invalid, aria-describedby. */
function controlAttributes({ name, hint, error, required }: FieldFrame) {
  return { id: fieldId(name), name, required, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(name, hint, error) };
}

export function TextField(props: FieldFrame & { value: string; onChange: (value: string) => void; type?: 'text' | 'date' | 'datetime-local' | 'search' | 'email' | 'number'; autoComplete?: string; maxLength?: number }) {
  const { value, onChange, type = 'text', autoComplete, maxLength } = props;
  return (
    <FieldShell frame={props}>
      <input {...controlAttributes(props)} type={type} value={value} maxLength={maxLength} autoComplete={autoComplete ?? 'off'} onChange={(event) => onChange(event.target.value)} />
    </FieldShell>
  );
}

export function TextArea(props: FieldFrame & { value: string; onChange: (value: string) => void; rows?: number; maxLength?: number }) {
  const { value, onChange, rows = 4, maxLength } = props;
  return (
    <FieldShell frame={props}>
      <textarea {...controlAttributes(props)} rows={rows} value={value} maxLength={maxLength} onChange={(event) => onChange(event.target.value)} />
    </FieldShell>
  );
}

export interface Choice {
  readonly value: string;
  readonly label: ReactNode;
  readonly hint?: ReactNode;
}

export function SelectField(props: FieldFrame & { value: string; onChange: (value: string) => void; options: readonly Choice[]; placeholder?: string }) {
  const { value, onChange, options, placeholder } = props;
  return (
    <FieldShell frame={props}>
      <select {...controlAttributes(props)} value={value} onChange={(event) => onChange(event.target.value)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {typeof option.label === 'string' ? option.label : option.value}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** Several choices (checkboxes) or one (radios), as a fieldset whose legend names the question. */
export function ChoiceGroup(
  props: FieldFrame & { options: readonly Choice[] } & (
      | { multiple: true; values: readonly string[]; onChange: (values: string[]) => void }
      | { multiple?: false; value: string; onChange: (value: string) => void }
    ),
) {
  const { name, label, hint, error, required, options } = props;
  const isChecked = (value: string) => (props.multiple ? props.values.includes(value) : props.value === value);
  const toggle = (value: string, checked: boolean) => {
    if (props.multiple) props.onChange(checked ? [...props.values, value] : props.values.filter((v) => v !== value));
    else if (checked) props.onChange(value);
  };
  return (
    <fieldset
      id={fieldId(name)}
      className={`field choices${error ? ' has-error' : ''}`}
      aria-describedby={describedBy(name, hint, error)}
      aria-invalid={error ? true : undefined}
      tabIndex={-1}
    >
      <legend>
        {label}
        {!required && (
          <span className="optional">
            {' '}
            <FormattedMessage id="common.form.optional" />
          </span>
        )}
      </legend>
      <Hint name={name} hint={hint} />
      <ErrorText name={name} error={error} />
      {options.map((option) => {
        const id = `${fieldId(name)}-${option.value.replace(/[^A-Za-z0-9_-]/g, '-')}`;
        return (
          <div className="choice" key={option.value}>
            <input
              id={id}
              type={props.multiple ? 'checkbox' : 'radio'}
              name={name}
              value={option.value}
              checked={isChecked(option.value)}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            <label htmlFor={id}>{option.label}</label>
            {option.hint && (
              <p className="hint" id={`${id}-hint`}>
                {option.hint}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

/**
 * Runs a form's action: busy while it runs, the API's problem kept for the fields and the summary.
 * A 401 is left to the session (it returns to sign-in, the draft is kept).
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const run = useCallback(async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'network', error instanceof Error ? error.message : String(error)));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run, setProblem };
}

/**
 * A form with its error summary. `fields` maps the API's field paths to this form's field names
 * and labels, so the summary can link to each field that has an error.
 */
export function Form({
  onSubmit,
  problem,
  busy,
  submitLabel,
  fields = {},
  children,
  className,
}: {
  onSubmit: () => void;
  problem?: ApiProblem;
  busy?: boolean;
  submitLabel: ReactNode;
  fields?: Readonly<Record<string, ReactNode>>;
  children: ReactNode;
  className?: string;
}) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem && !problem.sessionExpired) summary.current?.focus();
  }, [problem]);
  const handle = (event: FormEvent) => {
    event.preventDefault();
    if (!busy) onSubmit();
  };
  const fieldErrors = problem ? Object.entries(fields).filter(([name]) => problem.fieldMessage(name)) : [];
  return (
    <form onSubmit={handle} noValidate className={className}>
      {problem && !problem.sessionExpired && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
          <h2>
            <FormattedMessage id={fieldErrors.length > 0 ? 'common.form.summaryFields' : 'common.form.summaryFailed'} />
          </h2>
          {fieldErrors.length > 0 ? (
            <ul>
              {fieldErrors.map(([name, label]) => (
                <li key={name}>
                  <a href={`#${fieldId(name)}`}>
                    {label}: {problem.fieldMessage(name)}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <ProblemText problem={problem} />
          )}
        </div>
      )}
      {children}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} aria-disabled={busy}>
          {submitLabel}
        </button>
        <Sending busy={busy} />
      </div>
    </form>
  );
}

/** A problem in words: known statuses get a plain-language sentence, with the API's detail after it. */
export function ProblemText({ problem }: { problem: ApiProblem }) {
  const intl = useIntl();
  const known = [0, 400, 403, 404, 409, 413, 429, 502, 503, 504];
  const id = known.includes(problem.status) ? `common.problem.${problem.status}` : 'common.problem.other';
  return (
    <p>
      {intl.formatMessage({ id }, { status: problem.status })}
      {problem.detail && problem.status !== 0 && <span className="problem-detail"> ({problem.detail})</span>}
    </p>
  );
}

/** "Sending…" beside a form's buttons while its call runs, announced politely. */
export function Sending({ busy }: { busy: boolean | undefined }) {
  return busy ? (
    <span role="status" className="busy">
      <FormattedMessage id="common.status.sending" />
    </span>
  ) : null;
}
