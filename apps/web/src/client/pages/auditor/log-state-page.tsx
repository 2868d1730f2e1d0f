import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { api } from '../../api';
import { DateTime } from '../../components/format';
import { LoadedView, Notice, PageTitle, useLoad } from '../../components/status';
import { useUser } from '../../session';
import type { Alarm, AuditLogState } from './api-shapes';

/** The log is the municipality's (the controller's): only its auditors read its state (GET /v1/audit/log/state). */
export function LogStatePage() {
  const user = useUser();
  return (
    <>
      <PageTitle>
        <FormattedMessage id="auditor.log.title" />
      </PageTitle>
      {user.org?.startsWith('municipality:') ? (
        <LogState />
      ) : (
        <Notice kind="info">
          <p>
            <FormattedMessage id="auditor.log.municipalityOnly" />
          </p>
        </Notice>
      )}
    </>
  );
}

function LogState() {
  const loaded = useLoad((signal) => api<AuditLogState>('disclosure', 'v1/audit/log/state', { signal }), []);
  return (
    <LoadedView loaded={loaded}>
      {(state) => (
        <>
          <Alarms alarms={state.alarms} />
          <Checkpoint state={state} />
          <Cosignatures state={state} />
        </>
      )}
    </LoadedView>
  );
}

/** Alarms first: they say whether the rest can be trusted. */
function Alarms({ alarms }: { alarms: readonly Alarm[] }) {
  return (
    <section aria-labelledby="auditor-log-alarms">
      <h2 id="auditor-log-alarms">
        <FormattedMessage id="auditor.log.alarms" values={{ count: alarms.length }} />
      </h2>
      {alarms.length === 0 ? (
        <Notice kind="success">
          <p>
            <FormattedMessage id="auditor.log.noAlarms" />
          </p>
        </Notice>
      ) : (
        <Notice kind="warning">
          <ul>
            {alarms.map((alarm) => (
              <li key={`${alarm.kind}-${alarm.raisedAt}-${alarm.reason}`}>
                {alarm.kind === 'witness' ? (
                  <FormattedMessage id="auditor.log.witnessAlarm" values={{ origin: alarm.origin, size: alarm.size, reason: alarm.reason }} />
                ) : (
                  <FormattedMessage
                    id="auditor.log.consumerAlarm"
                    values={{ consumer: alarm.consumer, topic: alarm.topic, eventType: alarm.eventType ?? '–', reason: alarm.reason }}
                  />
                )}{' '}
                (<DateTime value={alarm.raisedAt} />)
              </li>
            ))}
          </ul>
        </Notice>
      )}
    </section>
  );
}

function Checkpoint({ state }: { state: AuditLogState }) {
  return (
    <section aria-labelledby="auditor-log-checkpoint">
      <h2 id="auditor-log-checkpoint">
        <FormattedMessage id="auditor.log.checkpoint" />
      </h2>
      <dl className="facts">
        <dt>
          <FormattedMessage id="auditor.log.origin" />
        </dt>
        <dd className="auditor-id">{state.origin}</dd>
        <dt>
          <FormattedMessage id="auditor.log.logSize" />
        </dt>
        <dd>
          <FormattedNumber value={state.logSize} />
        </dd>
        {state.size === null ? (
          <>
            <dt>
              <FormattedMessage id="auditor.log.latest" />
            </dt>
            <dd>
              <FormattedMessage id="auditor.log.noCheckpoint" />
            </dd>
          </>
        ) : (
          <>
            <dt>
              <FormattedMessage id="auditor.log.size" />
            </dt>
            <dd>
              <FormattedNumber value={state.size} />
              {state.size < state.logSize && (
                <>
                  {' '}
                  <FormattedMessage id="auditor.log.behind" values={{ count: state.logSize - state.size }} />
                </>
              )}
            </dd>
            <dt>
              <FormattedMessage id="auditor.log.root" />
            </dt>
            <dd className="auditor-id">{state.rootHash}</dd>
            <dt>
              <FormattedMessage id="auditor.log.signedAt" />
            </dt>
            <dd>{state.checkpointedAt && <DateTime value={state.checkpointedAt} />}</dd>
          </>
        )}
      </dl>
      {state.checkpoint && (
        <details>
          <summary>
            <FormattedMessage id="auditor.log.note" />
          </summary>
          <pre className="auditor-note">{state.checkpoint}</pre>
        </details>
      )}
    </section>
  );
}

function Cosignatures({ state }: { state: AuditLogState }) {
  const intl = useIntl();
  return (
    <section aria-labelledby="auditor-log-cosignatures">
      <h2 id="auditor-log-cosignatures">
        <FormattedMessage id="auditor.log.cosignatures" />
      </h2>
      {state.cosignatures.length === 0 ? (
        <p>
          <FormattedMessage id="auditor.log.noCosignatures" />
          {state.lastCosigned && (
            <>
              {' '}
              <FormattedMessage id="auditor.log.lastCosigned" values={{ witness: state.lastCosigned.witness, size: state.lastCosigned.size }} />{' '}
              (<DateTime value={state.lastCosigned.cosignedAt} />)
            </>
          )}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{intl.formatMessage({ id: 'auditor.log.cosignaturesCaption' }, { count: state.cosignatures.length })}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="auditor.log.witness" />
                </th>
                <th scope="col">
                  <FormattedMessage id="auditor.log.witnessKey" />
                </th>
                <th scope="col">
                  <FormattedMessage id="auditor.log.cosignedAt" />
                </th>
              </tr>
            </thead>
            <tbody>
              {state.cosignatures.map((c) => (
                <tr key={c.witnessKey}>
                  <th scope="row">{c.witness}</th>
                  <td className="auditor-id">{c.witnessKey}</td>
                  <td>
                    <DateTime value={c.cosignedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
