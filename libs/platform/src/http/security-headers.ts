import helmet from 'helmet';

/**
 * The Content-Security-Policy of every answer. The only HTML Silta serves is the self-contained
 * data-subject report (inline CSS, no scripts, images, frames or forms), so nothing else is allowed.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  styleSrc: ["'unsafe-inline'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * helmet on every answer: no X-Powered-By, `X-Content-Type-Options: nosniff`, the strict CSP
 * above, and helmet's other defaults (frame, referrer and cross-origin policies).
 */
export const securityHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
});
