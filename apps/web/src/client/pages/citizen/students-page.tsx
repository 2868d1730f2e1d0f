import { FormattedMessage, useIntl } from 'react-intl';
import { LoadedView, PageTitle } from '../../components/status';
import { Link, segment } from '../../router';
import { whoDecidesShort } from './who-decides';
import { useMyStudents } from './use-my-student';

/** The guardian's students: those linked to them while under 18, with who decides about each one's data. */
export function StudentsPage() {
  const intl = useIntl();
  const students = useMyStudents();
  return (
    <>
      <PageTitle>
        <FormattedMessage id="citizen.students.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="citizen.students.intro" />
      </p>
      <LoadedView loaded={students}>
        {({ students: list }) =>
          list.length === 0 ? (
            <p>
              <FormattedMessage id="citizen.students.none" />
            </p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption>
                  <FormattedMessage id="citizen.students.caption" values={{ count: list.length }} />
                </caption>
                <thead>
                  <tr>
                    <th scope="col">
                      <FormattedMessage id="citizen.students.column.student" />
                    </th>
                    <th scope="col">
                      <FormattedMessage id="citizen.students.column.school" />
                    </th>
                    <th scope="col">
                      <FormattedMessage id="citizen.students.column.decides" />
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((student) => {
                    const decides = whoDecidesShort(student);
                    return (
                      <tr key={student.studentId}>
                        <th scope="row">
                          <Link to={`/citizen/students/${segment(student.studentId)}`}>{student.name ?? student.studentId}</Link>
                          {student.name ? <span className="hint student-id">{student.studentId}</span> : null}
                        </th>
                        <td>{student.schoolId ?? intl.formatMessage({ id: 'citizen.students.schoolUnknown' })}</td>
                        <td>
                          <FormattedMessage id={decides.id} values={decides.values} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </LoadedView>
    </>
  );
}
