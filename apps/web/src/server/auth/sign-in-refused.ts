import type { WebRequest as Request, WebResponse as Response } from '../http';
import { sendProblem, type WebProblem } from '../problem';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A sign-in that cannot finish: the person arrives here by navigation, so a browser gets a page (in
 * the three languages, a link to start again; no script or style, the CSP allows none inline) and
 * anything else the problem.
 */
export function refuseSignIn(request: Request, response: Response, problem: Pick<WebProblem, 'status' | 'code' | 'detail'>): void {
  if (!String(request.headers.accept ?? '').includes('text/html')) return sendProblem(response, problem, request.path);
  response.status(problem.status).setHeader('cache-control', 'no-store');
  response.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="fi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Silta</title><link rel="stylesheet" href="/app.css"></head>
<body><main>
<h1>Kirjautuminen ei onnistunut <span lang="sv">· Inloggningen misslyckades</span> <span lang="en">· Sign-in failed</span></h1>
<p lang="en" id="problem" data-code="${escape(problem.code)}">${escape(problem.detail)}</p>
<p><a href="/">Kirjaudu uudelleen</a> · <a href="/" lang="sv">Logga in igen</a> · <a href="/" lang="en">Sign in again</a></p>
</main></body>
</html>
`);
}
