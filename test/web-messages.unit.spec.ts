// The web app's message catalogues (apps/web/src/client/**/messages/{fi,sv,en}.json): the three
// languages say the same things. A key missing in one language would show the raw key to that
// language's users; an argument missing or renamed would drop a value from the sentence.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

const CLIENT = join(__dirname, '..', 'apps', 'web', 'src', 'client');
const LOCALES = ['fi', 'sv', 'en'] as const;

function catalogueFolders(dir: string): string[] {
  const folders: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === 'messages') folders.push(path);
    else folders.push(...catalogueFolders(path));
  }
  return folders;
}

function argumentsOf(elements: readonly MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      into.add(`<${element.value}>`);
      argumentsOf(element.children, into);
      continue;
    }
    into.add(element.value);
    if (element.type === TYPE.select || element.type === TYPE.plural) for (const option of Object.values(element.options)) argumentsOf(option.value, into);
  }
  return into;
}

const folders = catalogueFolders(CLIENT);

describe('web message catalogues', () => {
  it('finds the catalogues', () => {
    expect(folders.map((f) => relative(CLIENT, f))).toContain('messages');
  });

  describe.each(folders.map((folder) => [relative(CLIENT, folder), folder]))('%s', (_name, folder) => {
    const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale, JSON.parse(readFileSync(join(folder, `${locale}.json`), 'utf8')) as Record<string, string>]));

    it('has the same keys in fi, sv and en', () => {
      const keys = (locale: string) => Object.keys(catalogues[locale]!).sort();
      expect(keys('sv')).toEqual(keys('fi'));
      expect(keys('en')).toEqual(keys('fi'));
    });

    it('parses every message as ICU and uses the same arguments in each language', () => {
      for (const [key, fi] of Object.entries(catalogues.fi!)) {
        const expected = [...argumentsOf(parse(fi))].sort();
        for (const locale of ['sv', 'en']) {
          const text = catalogues[locale]![key];
          if (text === undefined) continue; // reported by the key test
          expect({ key, locale, args: [...argumentsOf(parse(text))].sort() }).toEqual({ key, locale, args: expected });
        }
      }
    });

    it('has no empty message', () => {
      for (const locale of LOCALES) for (const [key, text] of Object.entries(catalogues[locale]!)) expect({ key, locale, empty: text.trim() === '' }).toEqual({ key, locale, empty: false });
    });
  });
});
