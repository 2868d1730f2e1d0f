import { FormattedMessage, useIntl } from 'react-intl';
import { useState } from 'react';
import { Day } from '../../../components/format';
import { Loading, PageTitle, ProblemNotice, useLoad } from '../../../components/status';
import { Link } from '../../../router';
import type { SchoolStudent } from '../shared/api-shapes';
import { LiveRegion } from '../shared/live-region';
import { findStudent } from '../shared/lookups';
import { schoolPath } from '../schools/schools-page';
import { WelfareAccessTag } from '../schools/student-table';
import { GuardiansSection } from './guardians-section';
import { CapacityForm, TransferForm, WelfareAccessForm } from './student-settings';

/** `/admin/schools/:schoolId/students/:studentId`: one student's guardians and settings. */
export function StudentPage({ schoolId, studentId }: { schoolId: string; studentId: string }) {
  const intl = useIntl();
  const student = useLoad((signal) => findStudent(schoolId, studentId, signal), [schoolId, studentId]);
  const [announcement, setAnnouncement] = useState<string>();
  const changed = (message: string) => {
    setAnnouncement(message);
    student.reload();
  };
  return (
    <>
      <p>
        <Link to={schoolPath(schoolId)}>
          <FormattedMessage id="admin.student.back" />
        </Link>
      </p>
      {student.problem ? (
        <ProblemNotice problem={student.problem} />
      ) : student.loading && !student.data ? (
        <Loading />
      ) : !student.data ? (
        <>
          <PageTitle>
            <FormattedMessage id="admin.student.notFound" />
          </PageTitle>
          <p>{intl.formatMessage({ id: 'admin.student.notFoundBody' }, { studentId, schoolId })}</p>
        </>
      ) : (
        <>
          <PageTitle>{student.data.name}</PageTitle>
          <LiveRegion>{announcement}</LiveRegion>
          <StudentFacts student={student.data} schoolId={schoolId} />
          <GuardiansSection student={student.data} onChanged={changed} />
          <CapacityForm student={student.data} onChanged={changed} />
          <WelfareAccessForm student={student.data} onChanged={changed} />
          <TransferForm student={student.data} schoolId={schoolId} />
        </>
      )}
    </>
  );
}

function StudentFacts({ student, schoolId }: { student: SchoolStudent; schoolId: string }) {
  return (
    <dl className="facts">
      <dt>
        <FormattedMessage id="admin.student.studentId" />
      </dt>
      <dd>{student.studentId}</dd>
      <dt>
        <FormattedMessage id="admin.school.schoolId" />
      </dt>
      <dd>{schoolId}</dd>
      <dt>
        <FormattedMessage id="admin.student.group" />
      </dt>
      <dd>{student.group}</dd>
      <dt>
        <FormattedMessage id="admin.student.birthDate" />
      </dt>
      <dd>
        <Day value={student.birthDate} />
      </dd>
      <dt>
        <FormattedMessage id="admin.student.educationForm" />
      </dt>
      <dd>
        <FormattedMessage id={`admin.educationForm.${student.educationForm}`} />
      </dd>
      <dt>
        <FormattedMessage id="admin.student.decidesForSelf" />
      </dt>
      <dd>
        <FormattedMessage id={student.decidesForSelf ? 'common.yes' : 'common.no'} />
      </dd>
      <dt>
        <FormattedMessage id="admin.student.welfareAccess" />
      </dt>
      <dd>
        <WelfareAccessTag active={student.welfareAccess} />
      </dd>
    </dl>
  );
}
