// What the local issuer's sign-in page says, in the three languages of the web app. The client asks
// for one with OpenID Connect's ui_locales (Core 3.1.2.1); the page answers in the first it speaks.
import type { Role } from '@silta/platform/auth/principal';
import type { IssuerName } from './local-issuers';

export const SIGN_IN_LOCALES = ['fi', 'sv', 'en'] as const;
export type SignInLocale = (typeof SIGN_IN_LOCALES)[number];

/**
 * The first language of a ui_locales value (space-separated BCP 47 tags, most preferred first) the
 * page speaks, matched on the primary subtag (sv-FI is Swedish); English when none. Only the first
 * few tags are looked at: the value comes from the browser and may be anything.
 */
export function signInLocale(uiLocales: string | null): SignInLocale {
  for (const tag of (uiLocales ?? '').slice(0, 200).split(' ').slice(0, 10)) {
    const language = tag.split('-')[0]!.toLowerCase();
    if ((SIGN_IN_LOCALES as readonly string[]).includes(language)) return language as SignInLocale;
  }
  return 'en';
}

export interface SignInText {
  /** The page's <title>, naming the issuer it stands in for. */
  readonly title: string;
  readonly heading: string;
  /** Which identity provider this stands in for, and the warning that it believes anyone. */
  readonly note: string;
  readonly userId: string;
  readonly role: string;
  readonly organisation: string;
  readonly signIn: string;
  readonly cancel: string;
  readonly roles: Readonly<Record<Role, string>>;
  readonly refusedTitle: string;
  readonly unknownClient: (clientId: string) => string;
  readonly unregisteredRedirect: (clientId: string) => string;
  readonly tooManyPending: string;
  readonly userIdMissing: string;
  readonly userIdTooLong: (max: number) => string;
  readonly userIdBadCharacters: string;
  readonly chooseRole: (roles: string) => string;
  readonly organisationShape: string;
  readonly chooseOrganisation: (organisations: string) => string;
}

/** Each issuer's name for the page's title, and the sentence saying what it stands in for. */
const ISSUERS: Record<SignInLocale, Record<IssuerName, { name: string; standsInFor: string }>> = {
  fi: {
    municipality: { name: 'Kunnan henkilöstön tunnistus', standsInFor: 'Tämä on paikallinen korvike kunnan henkilöstön tunnistuspalvelulle.' },
    'welfare-area': { name: 'Hyvinvointialueen henkilöstön tunnistus', standsInFor: 'Tämä on paikallinen korvike hyvinvointialueen henkilöstön tunnistuspalvelulle.' },
    citizen: { name: 'Vahva tunnistus', standsInFor: 'Tämä on paikallinen korvike huoltajien ja oppilaiden vahvalle tunnistukselle (Suomi.fi-tunnistukselle).' },
  },
  sv: {
    municipality: { name: 'Kommunens personalinloggning', standsInFor: 'Det här är en lokal ersättning för kommunens inloggningstjänst för personalen.' },
    'welfare-area': { name: 'Välfärdsområdets personalinloggning', standsInFor: 'Det här är en lokal ersättning för välfärdsområdets inloggningstjänst för personalen.' },
    citizen: { name: 'Stark autentisering', standsInFor: 'Det här är en lokal ersättning för stark autentisering av vårdnadshavare och elever (Suomi.fi-identifikationen).' },
  },
  en: {
    municipality: { name: "the municipality's staff identity provider", standsInFor: "A local stand-in for the municipality's staff identity provider." },
    'welfare-area': { name: "the welfare area's staff identity provider", standsInFor: "A local stand-in for the welfare area's staff identity provider." },
    citizen: { name: 'strong identification of guardians and students', standsInFor: 'A local stand-in for strong identification of guardians and students (Suomi.fi).' },
  },
};

const TEXT: Record<SignInLocale, Omit<SignInText, 'title' | 'note'> & { titleOf: (issuer: string) => string; believes: string }> = {
  fi: {
    titleOf: (issuer) => `Kirjaudu – ${issuer}`,
    heading: 'Kirjaudu Siltaan',
    believes: 'Se uskoo sen, kuka sanot olevasi. Älä koskaan käytä sitä oikeiden ihmisten tietojen kanssa.',
    userId: 'Käyttäjätunnus',
    role: 'Rooli',
    organisation: 'Organisaatio',
    signIn: 'Kirjaudu',
    cancel: 'Peruuta',
    roles: {
      guardian: 'huoltaja',
      student: 'oppilas',
      curator: 'kuraattori',
      psychologist: 'psykologi',
      nurse: 'terveydenhoitaja',
      doctor: 'lääkäri',
      auditor: 'tarkastaja',
      school_admin: 'koulun pääkäyttäjä',
      welfare_admin: 'hyvinvointialueen pääkäyttäjä',
      sis: 'oppilashallintojärjestelmä',
      service: 'palvelu',
    },
    refusedTitle: 'Kirjautuminen hylättiin',
    unknownClient: (id) => `Sovellusta "${id}" ei ole rekisteröity tähän tunnistuspalveluun (LOCAL_ISSUER_CLIENTS).`,
    unregisteredRedirect: (id) => `Paluuosoite ei ole yksikään sovellukselle "${id}" rekisteröidyistä osoitteista.`,
    tooManyPending: 'Keskeneräisiä kirjautumisia on liian monta. Yritä uudelleen hetken kuluttua.',
    userIdMissing: 'Kirjoita käyttäjätunnuksesi.',
    userIdTooLong: (max) => `Käyttäjätunnuksessa voi olla enintään ${max} merkkiä.`,
    userIdBadCharacters: 'Käyttäjätunnuksessa ei saa olla ohjausmerkkejä eikä rikkinäisiä merkkejä.',
    chooseRole: (roles) => `Valitse yksi rooleista: ${roles}.`,
    organisationShape: 'Organisaation on oltava muotoa municipality:<tunnus> tai welfare-area:<tunnus>.',
    chooseOrganisation: (organisations) => `Valitse yksi organisaatioista: ${organisations}.`,
  },
  sv: {
    titleOf: (issuer) => `Logga in – ${issuer}`,
    heading: 'Logga in i Silta',
    believes: 'Den tror på den du säger att du är. Använd den aldrig med riktiga personers uppgifter.',
    userId: 'Användar-id',
    role: 'Roll',
    organisation: 'Organisation',
    signIn: 'Logga in',
    cancel: 'Avbryt',
    roles: {
      guardian: 'vårdnadshavare',
      student: 'elev',
      curator: 'kurator',
      psychologist: 'psykolog',
      nurse: 'hälsovårdare',
      doctor: 'läkare',
      auditor: 'granskare',
      school_admin: 'skolans huvudanvändare',
      welfare_admin: 'välfärdsområdets huvudanvändare',
      sis: 'elevadministrationssystem',
      service: 'tjänst',
    },
    refusedTitle: 'Inloggningen avvisades',
    unknownClient: (id) => `Applikationen "${id}" är inte registrerad hos den här tjänsten (LOCAL_ISSUER_CLIENTS).`,
    unregisteredRedirect: (id) => `Returadressen är inte någon av de adresser som registrerats för applikationen "${id}".`,
    tooManyPending: 'För många inloggningar pågår. Försök igen om en stund.',
    userIdMissing: 'Skriv ditt användar-id.',
    userIdTooLong: (max) => `Användar-id:t får vara högst ${max} tecken.`,
    userIdBadCharacters: 'Användar-id:t får inte innehålla styrtecken eller trasiga tecken.',
    chooseRole: (roles) => `Välj en av rollerna: ${roles}.`,
    organisationShape: 'Organisationen ska ha formen municipality:<id> eller welfare-area:<id>.',
    chooseOrganisation: (organisations) => `Välj en av organisationerna: ${organisations}.`,
  },
  en: {
    titleOf: (issuer) => `Sign in: ${issuer}`,
    heading: 'Sign in to Silta',
    believes: 'It believes who you say you are. Never use it with real people\'s data.',
    userId: 'User id',
    role: 'Role',
    organisation: 'Organisation',
    signIn: 'Sign in',
    cancel: 'Cancel',
    roles: {
      guardian: 'guardian',
      student: 'student',
      curator: 'curator',
      psychologist: 'psychologist',
      nurse: 'nurse',
      doctor: 'doctor',
      auditor: 'auditor',
      school_admin: 'school admin',
      welfare_admin: 'welfare admin',
      sis: 'student information system',
      service: 'service',
    },
    refusedTitle: 'Sign-in refused',
    unknownClient: (id) => `The application "${id}" is not registered with this issuer (LOCAL_ISSUER_CLIENTS).`,
    unregisteredRedirect: (id) => `The return address is not one registered for the application "${id}".`,
    tooManyPending: 'Too many sign-ins are pending; try again in a minute.',
    userIdMissing: 'Enter your user id.',
    userIdTooLong: (max) => `The user id can be at most ${max} characters.`,
    userIdBadCharacters: 'The user id must not contain control characters or broken characters.',
    chooseRole: (roles) => `Choose one of the roles: ${roles}.`,
    organisationShape: 'Organisation must look like municipality:<id> or welfare-area:<id>.',
    chooseOrganisation: (organisations) => `Choose one of the organisations: ${organisations}.`,
  },
};

/** The page's words in `locale`, for the issuer `issuer` stands in as. */
export function signInText(locale: SignInLocale, issuer: IssuerName): SignInText {
  const { titleOf, believes, ...text } = TEXT[locale];
  const { name, standsInFor } = ISSUERS[locale][issuer];
  return { ...text, title: titleOf(name), note: `${standsInFor} ${believes}` };
}
