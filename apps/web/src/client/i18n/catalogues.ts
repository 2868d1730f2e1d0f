// Every text the pages show, per language: ICU messages (https://formatjs.io/docs/core-concepts/icu-syntax)
// in one JSON file per area and language, so a translator works on plain files. Keys are
// `<area>.<what>`; test/web-messages.unit.spec.ts checks that the three languages have the same
// keys and the same ICU arguments, and that every message parses.
import commonEn from '../messages/en.json';
import commonFi from '../messages/fi.json';
import commonSv from '../messages/sv.json';
import citizenEn from '../pages/citizen/messages/en.json';
import citizenFi from '../pages/citizen/messages/fi.json';
import citizenSv from '../pages/citizen/messages/sv.json';
import professionalEn from '../pages/professional/messages/en.json';
import professionalFi from '../pages/professional/messages/fi.json';
import professionalSv from '../pages/professional/messages/sv.json';
import auditorEn from '../pages/auditor/messages/en.json';
import auditorFi from '../pages/auditor/messages/fi.json';
import auditorSv from '../pages/auditor/messages/sv.json';
import adminEn from '../pages/admin/messages/en.json';
import adminFi from '../pages/admin/messages/fi.json';
import adminSv from '../pages/admin/messages/sv.json';
import type { Locale } from './locales';

export type Messages = Record<string, string>;

export const CATALOGUES: Record<Locale, Messages> = {
  fi: { ...commonFi, ...citizenFi, ...professionalFi, ...auditorFi, ...adminFi },
  sv: { ...commonSv, ...citizenSv, ...professionalSv, ...auditorSv, ...adminSv },
  en: { ...commonEn, ...citizenEn, ...professionalEn, ...auditorEn, ...adminEn },
};
