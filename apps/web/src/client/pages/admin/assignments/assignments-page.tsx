import { useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../../api';
import { Day, useTerms } from '../../../components/format';
import { ProblemText, TextField, useSubmit } from '../../../components/form';
import { Loading, PageTitle, ProblemNotice } from '../../../components/status';
import { Link, navigate, segment, useLocation } from '../../../router';
import type { Assignment, AssignmentsPage as Answer } from '../shared/api-shapes';
import { ConfirmStep } from '../shared/confirm-step';
import { LiveRegion } from '../shared/live-region';
import { usePages } from '../shared/use-pages';

/** `/admin/assignments`: the welfare area's assignments (ended ones marked), ending one, `?schoolId=` for one school. */
export function AssignmentsPage() {
  const { search } = useLocation();
  const schoolId = search.get('schoolId') ?? '';
  const assignments = usePages<Assignment>(async (cursor, signal) => {
    const page = await api<Answer>('roster', 'v1/assignments', { query: { cursor, schoolId }, signal });
    return { items: page.assignments, nextCursor: page.nextCursor };
  }, [schoolId]);
  const [ending, setEnding] = useState<Assignment>();
  const [announcement, setAnnouncement] = useState<string>();
  const opener = useRef<HTMLButtonElement | null>(null);
  const intl = useIntl();
  // A school id the API refuses is shown at the filter, in the user's language.
  const filterError = assignments.problem?.fieldMessage('schoolId') && intl.formatMessage({ id: 'admin.field.id.invalid' });
  return (
    <>
      <PageTitle>
        <FormattedMessage id="admin.assignments.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="admin.assignments.intro" />
      </p>
      <p className="admin-list-actions">
        <Link to="/admin/assignments/new" className="button primary">
          <FormattedMessage id="admin.assign.open" />
        </Link>
      </p>
      <SchoolFilter schoolId={schoolId} error={filterError} />
      <LiveRegion>{announcement}</LiveRegion>
      {ending && (
        <EndStep
          assignment={ending}
          onCancel={() => {
            setEnding(undefined);
            opener.current?.focus();
          }}
          onDone={(message) => {
            setEnding(undefined);
            setAnnouncement(message);
            assignments.reload();
          }}
        />
      )}
      {assignments.problem && !filterError && <ProblemNotice problem={assignments.problem} />}
      {assignments.items ? (
        <AssignmentTable
          assignments={assignments.items}
          schoolId={schoolId}
          onEnd={(assignment, button) => {
            opener.current = button;
            setAnnouncement(undefined);
            setEnding(assignment);
          }}
        />
      ) : (
        !assignments.problem && <Loading />
      )}
      {assignments.hasMore && (
        <div className="admin-list-actions">
          <button type="button" className="secondary" onClick={assignments.more} disabled={assignments.loading}>
            <FormattedMessage id="admin.list.more" />
          </button>
        </div>
      )}
    </>
  );
}

/** Narrows the list to one school; the filter lives in the address, so it can be linked to. */
function SchoolFilter({ schoolId, error }: { schoolId: string; error?: string }) {
  const intl = useIntl();
  const [value, setValue] = useState(schoolId);
  const apply = (next: string) => navigate(next ? `/admin/assignments?${new URLSearchParams({ schoolId: next })}` : '/admin/assignments');
  return (
    <form
      role="search"
      aria-label={intl.formatMessage({ id: 'admin.assignments.filter.label' })}
      onSubmit={(event) => {
        event.preventDefault();
        apply(value.trim());
      }}
    >
      <TextField name="schoolId" type="search" error={error} label={intl.formatMessage({ id: 'admin.assignments.filter.schoolId' })} value={value} onChange={setValue} maxLength={200} />
      <div className="admin-inline-actions">
        <button type="submit" className="secondary">
          <FormattedMessage id="admin.assignments.filter.apply" />
        </button>
        {schoolId && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setValue('');
              apply('');
            }}
          >
            <FormattedMessage id="admin.assignments.filter.clear" />
          </button>
        )}
      </div>
    </form>
  );
}

function AssignmentTable({ assignments, schoolId, onEnd }: { assignments: readonly Assignment[]; schoolId: string; onEnd: (assignment: Assignment, button: HTMLButtonElement) => void }) {
  const term = useTerms();
  if (assignments.length === 0)
    return (
      <p>
        <FormattedMessage id="admin.assignments.none" />
      </p>
    );
  return (
    <div className="table-wrap">
      <table>
        <caption>
          <FormattedMessage id="admin.assignments.caption" values={{ count: assignments.length, schoolId: schoolId || 'all' }} />
        </caption>
        <thead>
          <tr>
            {['professionalId', 'role', 'schoolId', 'validity', 'status', 'actions'].map((column) => (
              <th scope="col" key={column}>
                <FormattedMessage id={column === 'actions' ? 'admin.actions' : `admin.assignment.${column}`} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {assignments.map((a) => (
            <tr key={a.assignmentId}>
              <th scope="row">
                {a.professionalId}
                <br />
                <span className="hint">
                  <FormattedMessage id="admin.assignment.idShort" values={{ assignmentId: a.assignmentId }} />
                </span>
              </th>
              <td>{term('role', a.role)}</td>
              <td>{a.schoolId}</td>
              <td>
                <Day value={a.validFrom} /> – {a.validUntil ? <Day value={a.validUntil} /> : <FormattedMessage id="admin.assignment.openEnded" />}
              </td>
              <td>
                <AssignmentStatus assignment={a} />
              </td>
              <td>
                {!a.ended && (
                  <button type="button" className="danger" onClick={(event) => onEnd(a, event.currentTarget)}>
                    <FormattedMessage id="admin.assignments.end" />
                    <span className="visually-hidden"> {a.assignmentId}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** In force, ended, or outside its days — in words, the tag's colour only repeats them. */
function AssignmentStatus({ assignment }: { assignment: Assignment }) {
  const state = assignment.ended ? 'ended' : assignment.current ? 'current' : 'outside';
  const tag = { ended: 'tag-deny', current: 'tag-permit', outside: 'tag-partial' }[state];
  return (
    <span className={`tag ${tag}`}>
      <FormattedMessage id={`admin.assignment.status.${state}`} />
    </span>
  );
}

function EndStep({ assignment, onCancel, onDone }: { assignment: Assignment; onCancel: () => void; onDone: (message: string) => void }) {
  const intl = useIntl();
  const term = useTerms();
  const { busy, problem, run } = useSubmit();
  const values = { professionalId: assignment.professionalId, role: term('role', assignment.role), schoolId: assignment.schoolId };
  const confirm = () =>
    void run(async () => {
      await api('roster', `v1/assignments/${segment(assignment.assignmentId)}`, { method: 'DELETE' });
      onDone(intl.formatMessage({ id: 'admin.assignments.ended' }, values));
    });
  return (
    <ConfirmStep
      title={<FormattedMessage id="admin.assignments.confirm.title" values={values} />}
      confirmLabel={<FormattedMessage id="admin.assignments.confirm.yes" />}
      busy={busy}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <p>
        <FormattedMessage id="admin.assignments.confirm.body" values={values} />
      </p>
      {problem && !problem.sessionExpired && (
        <div className="notice notice-error" role="alert">
          <ProblemText problem={problem} />
        </div>
      )}
    </ConfirmStep>
  );
}
