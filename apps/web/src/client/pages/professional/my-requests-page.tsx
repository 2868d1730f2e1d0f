import { FormattedMessage, useIntl } from 'react-intl';
import { api } from '../../api';
import { DateTime, useTerms } from '../../components/format';
import { LoadedView, PageTitle, useLoad } from '../../components/status';
import { Link, segment } from '../../router';
import type { DisclosurePage } from './api-shapes';
import { OutcomeTag } from './outcome-list';
import { Pager, useCursorPages } from '../../components/pager';

const PAGE_SIZE = 50;

/** The professional's own requests, oldest first as the API keeps them, a page at a time. */
export function MyRequestsPage() {
  const pages = useCursorPages();
  const intl = useIntl();
  const term = useTerms();
  const loaded = useLoad((signal) => api<DisclosurePage>('disclosure', 'v1/disclosures', { query: { limit: PAGE_SIZE, cursor: pages.cursor }, signal }), [pages.cursor]);
  return (
    <>
      <PageTitle>
        <FormattedMessage id="professional.requests.title" />
      </PageTitle>
      <p>
        <FormattedMessage id="professional.requests.intro" />
      </p>
      <LoadedView loaded={loaded}>
        {(page) =>
          page.disclosures.length === 0 && pages.page === 1 ? (
            <p>
              <FormattedMessage id="professional.requests.none" />{' '}
              <Link to="/professional/request">
                <FormattedMessage id="professional.requests.makeOne" />
              </Link>
            </p>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <caption>
                    <FormattedMessage id="professional.requests.caption" values={{ page: pages.page }} />
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">
                        <FormattedMessage id="professional.requests.decidedAt" />
                      </th>
                      <th scope="col">
                        <FormattedMessage id="professional.requests.student" />
                      </th>
                      <th scope="col">
                        <FormattedMessage id="professional.requests.basis" />
                      </th>
                      <th scope="col">
                        <FormattedMessage id="professional.requests.categories" />
                      </th>
                      <th scope="col">
                        <FormattedMessage id="professional.requests.outcome" />
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.disclosures.map((d) => (
                      <tr key={d.disclosureId}>
                        <th scope="row">
                          <Link to={`/professional/requests/${segment(d.disclosureId)}`}>
                            <DateTime value={d.decidedAt} />
                          </Link>
                        </th>
                        <td>{d.studentId}</td>
                        <td>{term('basis', d.basis)}</td>
                        <td>
                          <ul className="plain">
                            {d.categories.map((c) => (
                              <li key={c.category}>
                                <FormattedMessage
                                  id="professional.requests.categoryOutcome"
                                  values={{ category: term('category', c.category), outcome: term('outcome', c.outcome) }}
                                />
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          <OutcomeTag outcome={d.outcome} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={page.nextCursor} label={intl.formatMessage({ id: 'professional.requests.pages' })} />
            </>
          )
        }
      </LoadedView>
    </>
  );
}
