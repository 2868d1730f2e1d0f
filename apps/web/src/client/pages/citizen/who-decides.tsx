import { FormattedMessage, useIntl } from 'react-intl';
import { Day } from '../../components/format';
import { Notice } from '../../components/status';
import { useUser } from '../../session';
import { CAPACITY_FIELDS, type MyStudent } from './api-shapes';
import { useNames } from './names';

/**
 * Who decides about sharing the student's data. A student judged to decide for themselves in a
 * field (or 18 or older) gives their own consents there, and their guardians' consents no longer
 * count: the guardian is told so, and the student is told that they decide.
 */
export function WhoDecides({ student }: { student: MyStudent }) {
  const user = useUser();
  const intl = useIntl();
  const names = useNames();
  const deciding = CAPACITY_FIELDS.filter((field) => student.adult || student.capacity[field].decidesForSelf);
  const fieldName = (field: string) => intl.formatMessage({ id: `citizen.field.${field}` });
  const audience = user.role === 'guardian' ? 'guardian' : 'student';
  if (student.adult) {
    return (
      <Notice kind="info">
        <p>
          <FormattedMessage id={`citizen.decides.${audience}.adult`} values={{ student: names.student(student.studentId, student.name) }} />
        </p>
      </Notice>
    );
  }
  if (deciding.length === 0) {
    return (
      <Notice kind="info">
        <p>
          <FormattedMessage id={`citizen.decides.${audience}.none`} values={{ student: names.student(student.studentId, student.name) }} />
        </p>
      </Notice>
    );
  }
  return (
    <Notice kind={audience === 'guardian' ? 'warning' : 'info'}>
      {deciding.map((field) => (
        <p key={field}>
          <FormattedMessage
            id={`citizen.decides.${audience}.field`}
            values={{
              student: names.student(student.studentId, student.name),
              field: fieldName(field),
              since: student.capacity[field].assessedOn ? <Day value={student.capacity[field].assessedOn!} /> : '',
              dated: student.capacity[field].assessedOn ? 'yes' : 'no',
            }}
          />
        </p>
      ))}
      {deciding.length < CAPACITY_FIELDS.length &&
        CAPACITY_FIELDS.filter((field) => !deciding.includes(field)).map((field) => (
          <p key={field}>
            <FormattedMessage id={`citizen.decides.${audience}.stillGuardians`} values={{ field: fieldName(field) }} />
          </p>
        ))}
    </Notice>
  );
}

/** Who decides, in a few words for a table cell. */
export function whoDecidesShort(student: MyStudent): { id: string; values?: Record<string, string> } {
  const deciding = CAPACITY_FIELDS.filter((field) => student.adult || student.capacity[field].decidesForSelf);
  if (deciding.length === 0) return { id: 'citizen.students.decides.guardians' };
  if (deciding.length === CAPACITY_FIELDS.length) return { id: 'citizen.students.decides.studentAll' };
  return { id: `citizen.students.decides.studentIn.${deciding[0]}` };
}
