/** The Nest injection token of the web app's WebConfig. */
export const WEB_CONFIG = Symbol('WEB_CONFIG');
