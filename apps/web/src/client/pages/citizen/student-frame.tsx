import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { LoadedView, Notice, PageTitle } from '../../components/status';
import { useUser } from '../../session';
import type { MyStudent } from './api-shapes';
import { useNames } from './names';
import { StudentNav } from './student-nav';
import { mayConsentAtAll } from './standing';
import { useMyStudents } from './use-my-student';

/**
 * The frame of each of a student's pages: the title, the student's page menu, and the student as
 * GET /v1/me/students tells it. A student who is not the user's own gets a plain refusal; the
 * APIs would refuse them anyway.
 */
export function StudentFrame({ studentId, title, children }: { studentId: string; title: string; children: (student: MyStudent) => ReactNode }) {
  const names = useNames();
  const user = useUser();
  const students = useMyStudents();
  // The id until the list has loaded, then the name it gives.
  const name = students.data?.students.find((s) => s.studentId === studentId)?.name;
  return (
    <>
      <PageTitle>
        <FormattedMessage id={title} values={{ student: names.student(studentId, name) }} />
      </PageTitle>
      <LoadedView loaded={students}>
        {({ students: list }) => {
          const student = list.find((s) => s.studentId === studentId);
          if (!student)
            return (
              <Notice kind="error">
                <p>
                  <FormattedMessage id="citizen.student.notYours" />
                </p>
              </Notice>
            );
          return (
            <>
              <StudentNav studentId={studentId} mayGrant={mayConsentAtAll(user, student)} />
              {children(student)}
            </>
          );
        }}
      </LoadedView>
    </>
  );
}
