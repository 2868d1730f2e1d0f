import helmet from 'helmet';

/**
 * The web app's Content-Security-Policy: its own script and stylesheet only, no inline script or
 * style, calls only to itself (the parties are reached through /api), no plugins, no framing, forms
 * only to itself. helmet adds its other defaults (nosniff, frame, referrer and cross-origin policies).
 */
export const WEB_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

export const webSecurityHeaders = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: WEB_CONTENT_SECURITY_POLICY },
});
