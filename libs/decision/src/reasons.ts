import type { Profession, ReasonCode } from './decision';

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
  outside_student_welfare_act: {
    fi: 'Evätty: oppilas- ja opiskelijahuoltolaki ei koske oppilasta (aikuisten lukiokoulutuksen opiskelija, joka ei ole oppivelvollinen), joten tietoa ei voi luovuttaa välttämättömänä ilman suostumusta.',
    sv: 'Nekat: lagen om elev- och studerandevård gäller inte eleven (studerande i gymnasieutbildning för vuxna som inte är läropliktig), så uppgiften kan inte lämnas ut som nödvändig utan samtycke.',
    en: 'Denied: the Student Welfare Act does not cover the student (an adult upper-secondary student no longer in compulsory education), so the data cannot be disclosed as necessary without consent.',
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

/** A text in each of our languages. */
export type Texts = { readonly [lang in Language]: string };

/**
 * What a legal source is: a statute section (`law`), the Finnish National Agency for Education's
 * guidance (`guidance`), the municipality's own disclosure policy (`policy`: a choice the
 * municipality makes, not a rule of law), or Silta's own mechanism (`silta`: failing closed, or
 * recording what the law asks of a decision). Only `law` and `guidance` name the law's own sources.
 */
export type SourceKind = 'law' | 'guidance' | 'policy' | 'silta';

export interface LegalSource {
  readonly kind: SourceKind;
  /** A short citation in each language, as a requester or a data subject reads it. */
  readonly text: Texts;
}

interface ReasonSource extends LegalSource {
  /** Where the source differs by the requester's profession (OPH's guidance differs for curators and for nurses and doctors). */
  readonly byProfession?: { readonly [profession in Profession]?: LegalSource };
}

// Citations used by several codes, so each is spelled once.
const OPH_CURATORS: Texts = {
  fi: 'Opetushallitus: kuraattoreille laaditut usein kysytyt kysymykset tietojen luovuttamisesta, 2023',
  sv: 'Utbildningsstyrelsen: vanliga frågor för kuratorer om utlämnande av uppgifter, 2023',
  en: 'Finnish National Agency for Education (OPH): FAQ for curators (school social workers) on disclosing data, 2023',
};
const OPH_HEALTH: Texts = {
  fi: 'Opetushallitus: terveydenhoitajille ja lääkäreille laaditut usein kysytyt kysymykset tietojen luovuttamisesta, 2023',
  sv: 'Utbildningsstyrelsen: vanliga frågor för skolhälsovårdare och läkare om utlämnande av uppgifter, 2023',
  en: 'Finnish National Agency for Education (OPH): FAQ for school nurses and doctors on disclosing data, 2023',
};
const OPH_BOTH: Texts = {
  fi: 'Opetushallitus: kuraattoreille sekä terveydenhoitajille ja lääkäreille laaditut usein kysytyt kysymykset, 2023',
  sv: 'Utbildningsstyrelsen: vanliga frågor för kuratorer samt för skolhälsovårdare och läkare, 2023',
  en: 'Finnish National Agency for Education (OPH): FAQs of 2023 for curators and for school nurses and doctors',
};
const SOCIAL_WELFARE_20: Texts = {
  fi: 'Laki sosiaalihuollon asiakkaan asemasta ja oikeuksista 812/2000 20 §',
  sv: 'Lag om klientens ställning och rättigheter inom socialvården 812/2000 20 §',
  en: 'Act on the Status and Rights of Social Welfare Clients 812/2000, section 20',
};
const PUBLICITY_26: Texts = {
  fi: 'Laki viranomaisten toiminnan julkisuudesta 621/1999 26 § 1 mom. 2 kohta',
  sv: 'Lag om offentlighet i myndigheternas verksamhet 621/1999 26 § 1 mom. 2 punkten',
  en: 'Act on the Openness of Government Activities 621/1999, section 26(1)(2)',
};
const POLICY: Texts = {
  fi: 'Kunnan luovutuslinjaus',
  sv: 'Kommunens riktlinje för utlämnande',
  en: "The municipality's disclosure policy",
};
const FAIL_CLOSED: Texts = {
  fi: 'Silta: epävarmassa tilanteessa ei luovuteta mitään',
  sv: 'Silta: vid osäkerhet lämnas inget ut',
  en: 'Silta: fail closed',
};

/** `a; b`, in each language: a citation that rests on several sources. */
function joined(...parts: readonly Texts[]): Texts {
  return { fi: parts.map((p) => p.fi).join('; '), sv: parts.map((p) => p.sv).join('; '), en: parts.map((p) => p.en).join('; ') };
}

/** `a (b)`, in each language: a source with its note. */
function noted(source: Texts, note: Texts): Texts {
  return { fi: `${source.fi} (${note.fi})`, sv: `${source.sv} (${note.sv})`, en: `${source.en} (${note.en})` };
}

/**
 * A source resting on OPH's FAQs: the requester's own profession's FAQ where known (a psychologist
 * read as health care), both FAQs otherwise.
 */
function fromOphFaqs(kind: SourceKind, cite: (faq: Texts) => Texts): ReasonSource {
  const health: LegalSource = { kind, text: cite(OPH_HEALTH) };
  return { kind, text: cite(OPH_BOTH), byProfession: { curator: { kind, text: cite(OPH_CURATORS) }, nurse: health, doctor: health, psychologist: health } };
}

const POLICY_NOT_LAW_FOR_HEALTH: LegalSource = {
  kind: 'policy',
  text: noted(POLICY, {
    fi: 'OPH:n ohjeen mukaan terveydenhoitajalle ja lääkärille saa ilman suostumusta luovuttaa vain tunniste- ja huoltajatiedot',
    sv: 'enligt Utbildningsstyrelsens anvisning får endast identifierings- och vårdnadshavaruppgifter lämnas ut utan samtycke till hälsovårdare och läkare',
    en: "OPH's guidance gives school nurses and doctors identification and guardian data only without consent",
  }),
};
const POLICY_PSYCHOLOGIST: LegalSource = {
  kind: 'policy',
  text: noted(POLICY, {
    fi: 'psykologille ei löytynyt OPH:n ohjetta; oletuslinjaus kohtelee psykologia terveydenhuollon ammattihenkilönä',
    sv: 'ingen anvisning av Utbildningsstyrelsen för psykologer hittades; standardriktlinjen behandlar psykologen som yrkesutbildad person inom hälso- och sjukvården',
    en: 'no OPH guidance for psychologists was found; the default policy treats them as health-care professionals',
  }),
};

/**
 * The legal source of each reason code, in each language. Keyed by every `ReasonCode`, so a new
 * code does not compile until someone states its source here — and states honestly when it is the
 * municipality's policy or Silta's own mechanism rather than a statute.
 */
const SOURCES: { readonly [code in ReasonCode]: ReasonSource } = {
  identification_data: fromOphFaqs('guidance', (faq) => faq),
  necessary_for_case: {
    kind: 'law',
    text: joined(SOCIAL_WELFARE_20, OPH_CURATORS),
    byProfession: { nurse: POLICY_NOT_LAW_FOR_HEALTH, doctor: POLICY_NOT_LAW_FOR_HEALTH, psychologist: POLICY_PSYCHOLOGIST },
  },
  consent_given: fromOphFaqs('law', (faq) => joined(PUBLICITY_26, faq)),
  emergency: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'laissa ei ole yleistä kiireperustetta; kiireellisyys arvioidaan välttämättömien tietojen pyynnössä 812/2000 20 §:n nojalla, ja lapsen vaarasta ilmoitetaan lastensuojeluun lastensuojelulain 417/2007 25 §:n mukaan',
      sv: 'lagen ger ingen allmän grund vid brådska; brådskan bedöms i en begäran om nödvändiga uppgifter enligt 812/2000 20 §, och ett barn i fara anmäls till barnskyddet enligt barnskyddslagen 417/2007 25 §',
      en: 'no statute gives a general emergency basis; urgency is assessed in a necessity request under 812/2000 section 20, and a child in danger is reported to child welfare under the Child Welfare Act 417/2007, section 25',
    }),
  },
  view_incomplete: { kind: 'silta', text: FAIL_CLOSED },
  not_enrolled: {
    kind: 'silta',
    text: noted(FAIL_CLOSED, {
      fi: 'vain kunnan tuntemien oppilaiden tietoja luovutetaan',
      sv: 'endast uppgifter om elever som kommunen känner till lämnas ut',
      en: 'only students known to the municipality are disclosed about',
    }),
  },
  other_municipality: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'linjaus koskee vain kunnan omia oppilaita',
      sv: 'riktlinjen gäller endast kommunens egna elever',
      en: "the policy covers the municipality's own students only",
    }),
  },
  school_not_served: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'kunta ilmoittaa, mikä hyvinvointialue palvelee koulua',
      sv: 'kommunen anger vilket välfärdsområde som betjänar skolan',
      en: 'the municipality declares which welfare area serves the school',
    }),
  },
  not_assigned: {
    kind: 'silta',
    text: {
      fi: 'Silta: tietoja saa vain oppilaan kouluun määrätty ammattihenkilö',
      sv: 'Silta: endast en yrkesperson som är förordnad till elevens skola får uppgifter',
      en: "Silta: only a professional assigned to the student's school receives data",
    },
  },
  welfare_access_inactive: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'koulun aktivointi oppilaskohtaisesti',
      sv: 'skolans aktivering per elev',
      en: "the school's activation per student",
    }),
  },
  category_not_covered: fromOphFaqs('guidance', (faq) => faq),
  case_id_required: {
    kind: 'silta',
    text: {
      fi: 'Silta: asia yksilöidään, jotta 812/2000 20 §:n tapauskohtainen välttämättömyys voidaan jälkikäteen tarkastaa',
      sv: 'Silta: ärendet anges så att den prövning från fall till fall som 812/2000 20 § kräver kan granskas i efterhand',
      en: 'Silta: the case is named so that the case-by-case necessity of 812/2000 section 20 can be reviewed afterwards',
    },
  },
  justification_too_short: {
    kind: 'policy',
    text: noted(POLICY, { fi: 'perustelun vähimmäispituus', sv: 'motiveringens minimilängd', en: 'the minimum length of a justification' }),
  },
  not_in_profession_set: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'ammattiryhmäkohtaiset tietoryhmät',
      sv: 'uppgiftskategorierna per yrkesgrupp',
      en: 'the categories per profession',
    }),
    byProfession: {
      nurse: { kind: 'guidance', text: OPH_HEALTH },
      doctor: { kind: 'guidance', text: OPH_HEALTH },
      psychologist: POLICY_PSYCHOLOGIST,
    },
  },
  outside_student_welfare_act: {
    kind: 'law',
    text: {
      fi: 'Oppilas- ja opiskelijahuoltolaki 1287/2013 1 §; oppivelvollisuuslaki 1214/2020 2 §',
      sv: 'Lag om elev- och studerandevård 1287/2013 1 §; läropliktslagen 1214/2020 2 §',
      en: 'Student Welfare Act 1287/2013, section 1; Compulsory Education Act 1214/2020, section 2',
    },
  },
  no_consent: fromOphFaqs('law', (faq) => joined(PUBLICITY_26, faq)),
  consent_incomplete: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'kaikkien huoltajien suostumus',
      sv: 'samtycke av alla vårdnadshavare',
      en: "every guardian's consent",
    }),
  },
  not_in_emergency_set: {
    kind: 'policy',
    text: noted(POLICY, {
      fi: 'kiireellisen tilanteen tietoryhmät; laissa ei ole yleistä kiireperustetta',
      sv: 'kategorierna vid brådska; lagen ger ingen allmän grund vid brådska',
      en: 'the emergency set; no statute gives a general emergency basis',
    }),
  },
  basis_not_supported: {
    kind: 'silta',
    text: noted(FAIL_CLOSED, {
      fi: 'Siltan ensimmäinen versio ei tukenut perustetta',
      sv: 'Siltas första version stödde inte grunden',
      en: "Silta's first version did not support the basis",
    }),
  },
};

/**
 * The legal source of a reason code: for the requester's profession where it differs (OPH's
 * guidance differs by profession), else the code's own.
 */
export function legalSourceFor(code: ReasonCode, profession?: string): LegalSource {
  const source = SOURCES[code];
  const byProfession = profession ? source.byProfession?.[profession as Profession] : undefined;
  return byProfession ?? source;
}

/** The legal source of a reason code as a short citation in the given language. */
export function legalSourceOf(code: ReasonCode, lang: Language, profession?: string): string {
  return legalSourceFor(code, profession).text[lang];
}

/**
 * The data subject's right to learn who received their data (GDPR art. 15(1)(c)): the source of the
 * data-subject report on the education side. The welfare area's own log right (703/2023 11 §)
 * concerns its own logs, the receipts side.
 */
export const RIGHT_OF_ACCESS: LegalSource = {
  kind: 'law',
  text: {
    fi: 'EU:n yleinen tietosuoja-asetus (EU) 2016/679 15 artiklan 1 kohdan c alakohta',
    sv: 'EU:s allmänna dataskyddsförordning (EU) 2016/679 artikel 15.1 c',
    en: 'General Data Protection Regulation (EU) 2016/679, Article 15(1)(c)',
  },
};

/** The message for a reason code in the given language. */
export function explainReason(code: ReasonCode, lang: Language): string {
  return MESSAGES[code][lang];
}
