import type { ReasonCode } from './decision';

/** The languages explanations are given in: Finnish, Swedish (Finland's two official languages) and English. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Used when `Accept-Language` is absent or names none of our languages. English, because a caller
 * who states no preference (a script, an integration, a client in another language) is more
 * likely to read English than either official language; Finnish and Swedish speakers' browsers
 * and clients send their language.
 */
export const DEFAULT_LANGUAGE: Language = 'en';

/** One message per reason code and language: a plain-language explanation for the requester. */
const MESSAGES: { readonly [code in ReasonCode]: { readonly [lang in Language]: string } } = {
  identification_data: {
    fi: 'Sallittu: oppilaan tunnistetiedot ja huoltajien yhteystiedot saa luovuttaa oppilaan kouluun määrätylle ammattihenkilölle ilman suostumusta.',
    sv: 'Tillåtet: elevens identifieringsuppgifter och vårdnadshavarnas kontaktuppgifter får lämnas ut utan samtycke till en yrkesperson som är förordnad till elevens skola.',
    en: "Permitted: the student's identification data and the guardians' contact details may be disclosed without consent to a professional assigned to the student's school.",
  },
  necessary_for_case: {
    fi: 'Sallittu: olet perustellut tiedon välttämättömäksi nimetyssä asiassa, ja kunnan linjaus sallii ammattiryhmäsi pyytää sitä. Luovutus merkitään valvottavaksi.',
    sv: 'Tillåtet: du har motiverat att uppgiften är nödvändig i det angivna ärendet, och kommunens riktlinje tillåter din yrkesgrupp att begära den. Utlämnandet flaggas för tillsyn.',
    en: "Permitted: you have justified this data as necessary for the named case, and the municipality's policy allows your profession to request it. The disclosure is flagged for supervision.",
  },
  consent_given: {
    fi: 'Sallittu: voimassa oleva suostumus kattaa tämän tiedon sinulle.',
    sv: 'Tillåtet: ett giltigt samtycke omfattar denna uppgift för dig.',
    en: 'Permitted: a valid consent covers this data for you.',
  },
  emergency: {
    fi: 'Sallittu määräajaksi kiireellisessä tilanteessa. Luovutus tarkastetaan jälkikäteen.',
    sv: 'Tillåtet för en begränsad tid i en brådskande situation. Utlämnandet granskas i efterhand.',
    en: 'Permitted for a limited time in an emergency. The disclosure will be reviewed afterwards.',
  },
  view_incomplete: {
    fi: 'Evätty: oppilasta koskeva muutos (esimerkiksi suostumuksen peruutus) jäi käsittelemättä, joten mitään ei luovuteta ennen kuin ylläpito on selvittänyt sen.',
    sv: 'Nekat: en ändring som gäller eleven (till exempel ett återkallat samtycke) kunde inte behandlas, så inget lämnas ut förrän driften har rett ut den.',
    en: 'Denied: a change concerning the student (a withdrawn consent, say) could not be applied, so nothing is disclosed until the operators have resolved it.',
  },
  not_enrolled: {
    fi: 'Evätty: oppilas ei ole kirjoilla missään palvelun tuntemassa koulussa.',
    sv: 'Nekat: eleven är inte inskriven i någon skola som tjänsten känner till.',
    en: 'Denied: the student is not enrolled in any school known to the service.',
  },
  other_municipality: {
    fi: 'Evätty: oppilaan koulu ei kuulu tämän palvelun kunnalle, eikä sen luovutuslinjaus koske oppilasta.',
    sv: 'Nekat: elevens skola hör inte till den kommun som driver denna tjänst, och dess riktlinje gäller inte eleven.',
    en: "Denied: the student's school does not belong to the municipality that runs this service, so its policy does not cover the student.",
  },
  school_not_served: {
    fi: 'Evätty: kunta ei ole ilmoittanut hyvinvointialuettasi oppilaan koulun palvelujen järjestäjäksi.',
    sv: 'Nekat: kommunen har inte angett ditt välfärdsområde som det som betjänar elevens skola.',
    en: "Denied: the municipality has not declared your welfare area as the one serving the student's school.",
  },
  not_assigned: {
    fi: 'Evätty: sinulla ei ole tänään voimassa olevaa määräystä oppilaan nykyiseen kouluun.',
    sv: 'Nekat: du har inget förordnande till elevens nuvarande skola som gäller i dag.',
    en: "Denied: you have no assignment to the student's current school that is valid today.",
  },
  welfare_access_inactive: {
    fi: 'Evätty: kunnan linjaus edellyttää, että koulu aktivoi opiskeluhuollon pääsyn oppilaan tietoihin, eikä sitä ole aktivoitu.',
    sv: 'Nekat: kommunens riktlinje kräver att skolan aktiverar elevvårdens åtkomst till elevens uppgifter, och den har inte aktiverats.',
    en: "Denied: the municipality's policy requires the school to activate student-welfare access for the student, and it has not been activated.",
  },
  category_not_covered: {
    fi: 'Evätty: tämä peruste kattaa vain tunnistetiedot ja huoltajien yhteystiedot.',
    sv: 'Nekat: denna grund omfattar endast identifieringsuppgifter och vårdnadshavarnas kontaktuppgifter.',
    en: "Denied: this basis covers only identification data and the guardians' contact details.",
  },
  case_id_required: {
    fi: 'Evätty: välttämättömien tietojen pyynnössä on yksilöitävä asia, jota se koskee.',
    sv: 'Nekat: en begäran om nödvändiga uppgifter måste ange vilket ärende den gäller.',
    en: 'Denied: a request for necessary data must name the case it concerns.',
  },
  justification_too_short: {
    fi: 'Evätty: kirjallinen perustelu puuttuu tai on lyhyempi kuin kunnan linjaus edellyttää.',
    sv: 'Nekat: den skriftliga motiveringen saknas eller är kortare än kommunens riktlinje kräver.',
    en: "Denied: the written justification is missing or shorter than the municipality's policy requires.",
  },
  not_in_profession_set: {
    fi: 'Evätty: kunnan linjaus ei salli ammattiryhmäsi pyytää tätä tietoryhmää välttämättömänä tietona.',
    sv: 'Nekat: kommunens riktlinje tillåter inte din yrkesgrupp att begära denna uppgiftskategori som nödvändig uppgift.',
    en: "Denied: the municipality's policy does not allow your profession to request this category as necessary data.",
  },
  no_consent: {
    fi: 'Evätty: mikään voimassa oleva suostumus ei kata tätä tietoa sinulle.',
    sv: 'Nekat: inget giltigt samtycke omfattar denna uppgift för dig.',
    en: 'Denied: no valid consent covers this data for you.',
  },
  consent_incomplete: {
    fi: 'Evätty: kunnan linjaus edellyttää kaikkien huoltajien suostumusta, eivätkä kaikki huoltajat ole antaneet sitä.',
    sv: 'Nekat: kommunens riktlinje kräver samtycke av alla vårdnadshavare, och alla har inte gett det.',
    en: "Denied: the municipality's policy requires consent from every guardian, and not all of them have given it.",
  },
  not_in_emergency_set: {
    fi: 'Evätty: tämä tietoryhmä ei kuulu tietoihin, jotka kunnan linjaus sallii luovuttaa kiireellisessä tilanteessa.',
    sv: 'Nekat: denna kategori hör inte till de uppgifter som kommunens riktlinje tillåter att lämnas ut i en brådskande situation.',
    en: "Denied: this category is not among the data the municipality's policy allows in an emergency.",
  },
  basis_not_supported: {
    fi: 'Evätty: tätä perustetta ei vielä tuettu, kun päätös tehtiin.',
    sv: 'Nekat: denna grund stöddes ännu inte när beslutet fattades.',
    en: 'Denied: this basis was not yet supported when the decision was made.',
  },
};

/** The message for a reason code in the given language. */
export function explainReason(code: ReasonCode, lang: Language): string {
  return MESSAGES[code][lang];
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4, basic filtering of
 * RFC 4647): the highest q-value wins, ties go to the earlier entry, q=0 rules a language out, a
 * region (`sv-FI`) matches its language, and `*` stands for any of our languages not named
 * otherwise. `DEFAULT_LANGUAGE` when nothing matches.
 */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return DEFAULT_LANGUAGE;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => parseRange(part, index))
    .filter((r): r is LanguageRange => r !== undefined);
  const named = new Set(ranges.map((r) => r.tag.split('-')[0]));
  const candidates = ranges.flatMap((r): Array<{ lang: Language; q: number; index: number }> => {
    if (r.tag === '*') {
      const rest = [DEFAULT_LANGUAGE, ...LANGUAGES].filter((l) => !named.has(l));
      return rest.length > 0 ? [{ lang: rest[0]!, q: r.q, index: r.index }] : [];
    }
    const primary = r.tag.split('-')[0]!;
    return (LANGUAGES as readonly string[]).includes(primary) ? [{ lang: primary as Language, q: r.q, index: r.index }] : [];
  });
  // `fi;q=0` rules Finnish out, even if a region of it (`fi-FI`) is listed with q>0.
  const excluded = new Set(ranges.filter((r) => r.q === 0).map((r) => r.tag));
  const best = candidates
    .filter((c) => c.q > 0 && !excluded.has(c.lang))
    .sort((a, b) => b.q - a.q || a.index - b.index)[0];
  return best?.lang ?? DEFAULT_LANGUAGE;
}

interface LanguageRange {
  readonly tag: string;
  readonly q: number;
  readonly index: number;
}

function parseRange(part: string, index: number): LanguageRange | undefined {
  const [rawTag, ...params] = part.split(';').map((s) => s.trim());
  const tag = rawTag?.toLowerCase();
  if (!tag || !/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(tag)) return undefined;
  let q = 1;
  for (const param of params) {
    const match = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.exec(param);
    if (match) q = Number(match[1]);
    else if (/^q\s*=/i.test(param)) return undefined; // a malformed weight: ignore the range
  }
  return { tag, q, index };
}
