import { FormattedMessage, useIntl } from 'react-intl';
import { Link, segment } from '../../router';
import { useUser } from '../../session';

/** The student's pages: consents, a new consent (where the user may give one), the log, the report, and for the student what guardians see. */
export function StudentNav({ studentId, mayGrant }: { studentId: string; mayGrant: boolean }) {
  const intl = useIntl();
  const user = useUser();
  const base = `/citizen/students/${segment(studentId)}`;
  const links = [
    { to: base, label: 'citizen.studentNav.consents' },
    ...(mayGrant ? [{ to: `${base}/consents/new`, label: 'citizen.studentNav.grant' }] : []),
    { to: `${base}/log`, label: 'citizen.studentNav.log' },
    { to: `${base}/report`, label: 'citizen.studentNav.report' },
    ...(user.role === 'student' ? [{ to: `${base}/visibility`, label: 'citizen.studentNav.visibility' }] : []),
  ];
  return (
    <nav className="student-nav" aria-label={intl.formatMessage({ id: 'citizen.studentNav.label' })}>
      <ul>
        {links.map((link) => (
          <li key={link.to}>
            <Link to={link.to}>
              <FormattedMessage id={link.label} />
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
