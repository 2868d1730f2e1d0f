import { useState, type MouseEvent, type ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { api, ApiProblem, apiUrl, type Party } from '../../api';
import { ProblemNotice } from '../../components/status';

/**
 * A link to a file an API writes (the report as HTML or CSV). A plain link would ask for the
 * browser's language; a click fetches the file in the language chosen here and saves it. The
 * href stays a real address, so "open in new tab" and "save link as" still work.
 */
export function DownloadLink({ party, path, query, fileName, children }: { party: Party; path: string; query: Record<string, string>; fileName: string; children: ReactNode }) {
  const intl = useIntl();
  const [problem, setProblem] = useState<ApiProblem | undefined>();
  const href = apiUrl(party, path, query);
  const download = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setProblem(undefined);
    try {
      const response = await fetch(href, { credentials: 'same-origin', headers: { 'accept-language': intl.locale } });
      // A refusal comes as problem+json: ask again through the API client, which reads it (and
      // returns to sign-in when the session has ended).
      if (!response.ok) {
        await api(party, path, { query });
        throw new ApiProblem(response.status, `http_${response.status}`, response.statusText);
      }
      save(await response.blob(), fileName);
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error : new ApiProblem(0, 'network', String(error)));
    }
  };
  return (
    <>
      <a href={href} download={fileName} hrefLang={intl.locale} onClick={(event) => void download(event)}>
        {children}
      </a>
      {problem && <ProblemNotice problem={problem} />}
    </>
  );
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Chromium reads the blob after the click returns; let it go once the download has begun.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
