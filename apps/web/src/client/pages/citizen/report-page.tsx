import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api } from '../../api';
import { DateTime } from '../../components/format';
import { LoadedView, Notice, useLoad } from '../../components/status';
import { segment } from '../../router';
import { useUser } from '../../session';
import type { DataSubjectReport } from './api-shapes';
import { DownloadLink } from './download-link';
import { StudentFrame } from './student-frame';

const FORMATS = ['html', 'csv', 'json'] as const;

/**
 * The data-subject report (GDPR art. 15: who received the data, when, why): its completeness
 * statement, read from the report itself, and the report to download as HTML, CSV or JSON.
 */
export function ReportPage({ studentId }: { studentId: string }) {
  const user = useUser();
  return (
    <StudentFrame studentId={studentId} title={user.role === 'student' ? 'citizen.report.titleOwn' : 'citizen.report.title'}>
      {() => <Report studentId={studentId} />}
    </StudentFrame>
  );
}

function Report({ studentId }: { studentId: string }) {
  const intl = useIntl();
  const path = `v1/students/${segment(studentId)}/data-subject-report`;
  const report = useLoad((signal) => api<DataSubjectReport>('disclosure', path, { signal, query: { format: 'json' } }), [studentId, intl.locale]);
  const stamp = new Date().toISOString().slice(0, 10);
  return (
    <>
      <p>
        <FormattedMessage id="citizen.report.intro" />
      </p>
      <LoadedView loaded={report}>
        {(data) => (
          <>
            <dl className="facts">
              <dt>
                <FormattedMessage id="citizen.report.period" />
              </dt>
              <dd>
                <DateTime value={data.period.from} /> – <DateTime value={data.period.to} />
              </dd>
              <dt>
                <FormattedMessage id="citizen.report.count" />
              </dt>
              <dd>
                <FormattedNumber value={data.count} />
              </dd>
              <dt>
                <FormattedMessage id="citizen.report.generatedAt" />
              </dt>
              <dd>
                <DateTime value={data.generatedAt} />
              </dd>
            </dl>
            <Completeness completeness={data.completeness} />
          </>
        )}
      </LoadedView>
      <h2>
        <FormattedMessage id="citizen.report.download" />
      </h2>
      <ul className="downloads">
        {FORMATS.map((format) => (
          <li key={format}>
            <DownloadLink party="disclosure" path={path} query={{ format }} fileName={`silta-report-${studentId.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.${format}`}>
              <FormattedMessage id={`citizen.report.format.${format}`} />
            </DownloadLink>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The report's own statement of whether it lists everything the signed audit log records for it. */
function Completeness({ completeness }: { completeness: DataSubjectReport['completeness'] }) {
  const { complete, checkpoint, missingDisclosures, auditTrailIntact } = completeness;
  return (
    <section aria-labelledby="report-completeness">
      <h2 id="report-completeness">
        <FormattedMessage id="citizen.report.completeness" />
      </h2>
      {checkpoint === null ? (
        <Notice kind="info">
          <p>
            <FormattedMessage id="citizen.report.noCheckpoint" />
          </p>
        </Notice>
      ) : complete ? (
        <Notice kind="success">
          <p>
            <FormattedMessage id="citizen.report.complete" values={{ size: checkpoint.size }} />
          </p>
        </Notice>
      ) : (
        <Notice kind="warning">
          {!auditTrailIntact && (
            <p>
              <FormattedMessage id="citizen.report.notIntact" />
            </p>
          )}
          {missingDisclosures.length > 0 && (
            <p>
              <FormattedMessage id="citizen.report.missing" values={{ count: missingDisclosures.length }} />
            </p>
          )}
          <p>
            <FormattedMessage id="citizen.report.incompleteAdvice" />
          </p>
        </Notice>
      )}
    </section>
  );
}
