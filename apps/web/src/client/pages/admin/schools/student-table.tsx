import { FormattedMessage } from 'react-intl';
import { Day } from '../../../components/format';
import { Loading, ProblemNotice } from '../../../components/status';
import { Link, segment } from '../../../router';
import type { SchoolStudent } from '../shared/api-shapes';
import { schoolStudentsPage } from '../shared/lookups';
import { usePages } from '../shared/use-pages';

export const studentPath = (schoolId: string, studentId: string) => `/admin/schools/${segment(schoolId)}/students/${segment(studentId)}`;

/** The students at a school now, a page at a time; each name opens the student's page. */
export function StudentTable({ schoolId }: { schoolId: string }) {
  const students = usePages<SchoolStudent>(async (cursor, signal) => {
    const page = await schoolStudentsPage(schoolId, cursor, signal);
    return { items: page.students, nextCursor: page.nextCursor };
  }, [schoolId]);
  if (students.problem) return <ProblemNotice problem={students.problem} />;
  if (!students.items) return <Loading />;
  if (students.items.length === 0)
    return (
      <p>
        <FormattedMessage id="admin.students.none" />
      </p>
    );
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption>
            <FormattedMessage id="admin.students.caption" values={{ count: students.items.length }} />
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <FormattedMessage id="admin.student.name" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.student.group" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.student.birthDate" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.student.guardians" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.student.decidesForSelf" />
              </th>
              <th scope="col">
                <FormattedMessage id="admin.student.welfareAccess" />
              </th>
            </tr>
          </thead>
          <tbody>
            {students.items.map((student) => (
              <tr key={student.studentId}>
                <th scope="row">
                  <Link to={studentPath(schoolId, student.studentId)}>{student.name}</Link>
                  <br />
                  <span className="hint">{student.studentId}</span>
                </th>
                <td>{student.group}</td>
                <td>
                  <Day value={student.birthDate} />
                </td>
                <td>{student.guardians.map((g) => g.name).join(', ') || <FormattedMessage id="admin.student.noGuardians" />}</td>
                <td>
                  <FormattedMessage id={student.decidesForSelf ? 'common.yes' : 'common.no'} />
                </td>
                <td>
                  <WelfareAccessTag active={student.welfareAccess} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {students.hasMore && (
        <div className="admin-list-actions">
          <button type="button" className="secondary" onClick={students.more} disabled={students.loading}>
            <FormattedMessage id="admin.list.more" />
          </button>
        </div>
      )}
    </>
  );
}

/** Welfare access in words, with a tag whose text (not colour) carries the state. */
export function WelfareAccessTag({ active }: { active: boolean }) {
  return (
    <span className={`tag ${active ? 'tag-permit' : 'tag-deny'}`}>
      <FormattedMessage id={active ? 'admin.student.welfareAccess.on' : 'admin.student.welfareAccess.off'} />
    </span>
  );
}
