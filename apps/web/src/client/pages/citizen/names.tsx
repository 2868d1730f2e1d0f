// How the pages name people and organisations in a sentence: students by the name GET /v1/me/students gives, the rest by identifiers.
import { useIntl } from 'react-intl';
import { useUser } from '../../session';
import type { WelfareRole } from './api-shapes';

export function useNames() {
  const intl = useIntl();
  const user = useUser();
  const message = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  return {
    /** "Aino Esimerkki" for the guardian (the id while the name is not known), "you" for the student themself. */
    student: (studentId: string, name?: string | null) => (user.role === 'student' && user.subject === studentId ? message('citizen.name.you') : name || studentId),
    /** A welfare area by its id, e.g. "welfare area demo". */
    welfareArea: (welfareAreaId: string) => message('citizen.name.welfareArea', { id: welfareAreaId }),
    /** An organisation as the disclosure log names it (`welfare-area:demo`). */
    organisation: (org: string) => {
      const [kind, id] = [org.slice(0, org.indexOf(':')), org.slice(org.indexOf(':') + 1)];
      if (kind === 'welfare-area') return message('citizen.name.welfareArea', { id });
      if (kind === 'municipality') return message('citizen.name.municipality', { id });
      return org;
    },
    /** The professions a consent names, as a plural list ("curators and nurses"), or all of them. */
    professions: (roles: readonly WelfareRole[] | undefined) =>
      roles && roles.length > 0 ? intl.formatList(roles.map((role) => message(`citizen.professions.${role}`)), { type: 'conjunction' }) : message('citizen.professions.all'),
    /** Categories as a list ("absences and grades"). */
    categories: (categories: readonly string[]) =>
      intl.formatList(
        categories.map((category) => (intl.messages[`common.category.${category}`] ? message(`common.category.${category}`) : category)),
        { type: 'conjunction' },
      ),
  };
}
