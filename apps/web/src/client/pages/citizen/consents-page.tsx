import { useRef, useState } from 'react';
import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { LoadedView, useLoad } from '../../components/status';
import { Link, segment, useLocation } from '../../router';
import { useUser } from '../../session';
import type { MyStudent, StudentConsents } from './api-shapes';
import { ConsentCard } from './consent-card';
import type { Change } from './consent-change';
import { mayConsentAtAll } from './standing';
import { StudentFrame } from './student-frame';
import { WhoDecides } from './who-decides';

/** A student's page: who decides, and their consents, in force and ended, with the changes the user may make. */
export function ConsentsPage({ studentId }: { studentId: string }) {
  const user = useUser();
  return (
    <StudentFrame studentId={studentId} title={user.role === 'student' ? 'citizen.consents.titleOwn' : 'citizen.consents.title'}>
      {(student) => <Consents student={student} />}
    </StudentFrame>
  );
}

function Consents({ student }: { student: MyStudent }) {
  const intl = useIntl();
  const user = useUser();
  const { search } = useLocation();
  const consents = useLoad((signal) => api<StudentConsents>('consent', `v1/students/${segment(student.studentId)}/consents`, { signal }), [student.studentId]);
  // What the last change did, announced politely; the region stays in the page so it is heard.
  const [announcement, setAnnouncement] = useState(search.get('granted') ? intl.formatMessage({ id: 'citizen.consents.granted' }) : '');
  const live = useRef<HTMLDivElement>(null);
  const changed = (change: Change) => {
    setAnnouncement(intl.formatMessage({ id: `citizen.consents.changed.${change}` }));
    consents.reload();
    live.current?.focus();
  };
  return (
    <>
      <WhoDecides student={student} />
      <div className="announcement" aria-live="polite" role="status" tabIndex={-1} ref={live}>
        {announcement && (
          <div className="notice notice-success">
            <p>{announcement}</p>
          </div>
        )}
      </div>
      {mayConsentAtAll(user, student) && (
        <p>
          <Link to={`/citizen/students/${segment(student.studentId)}/consents/new`} className="button primary">
            <FormattedMessage id="citizen.consents.grantLink" />
          </Link>
        </p>
      )}
      <LoadedView loaded={consents}>
        {({ consents: list }) => {
          const inForce = list.filter((c) => c.status === 'active' || c.status === 'paused');
          const ended = list.filter((c) => c.status === 'withdrawn' || c.status === 'expired');
          return (
            <>
              <section aria-labelledby="consents-in-force">
                <h2 id="consents-in-force">
                  <FormattedMessage id="citizen.consents.inForce" values={{ count: inForce.length }} />
                </h2>
                {inForce.length === 0 && (
                  <p>
                    <FormattedMessage id="citizen.consents.noneInForce" />
                  </p>
                )}
                {inForce.map((consent) => (
                  <ConsentCard key={consent.consentId} consent={consent} student={student} onChanged={changed} />
                ))}
              </section>
              {ended.length > 0 && (
                <section aria-labelledby="consents-ended">
                  <h2 id="consents-ended">
                    <FormattedMessage id="citizen.consents.ended" values={{ count: ended.length }} />
                  </h2>
                  {ended.map((consent) => (
                    <ConsentCard key={consent.consentId} consent={consent} student={student} onChanged={changed} />
                  ))}
                </section>
              )}
              {user.role === 'guardian' && (
                <p className="hint">
                  <FormattedMessage id="citizen.consents.guardianSees" />
                </p>
              )}
            </>
          );
        }}
      </LoadedView>
    </>
  );
}
