/**
 * The app's one rule for an http(s) URL, shared by the mark-shipped form, the CSV import
 * and the environment, and the same rule as the database's checks (`~ '^https?://'`):
 * the scheme in lowercase, then `//`, a host, and no backslash, space or control
 * character anywhere. Browsers and WHATWG parsing would read `https:host`,
 * `https:\\host` or `HTTPS://host` as URLs; the database would not, so the app does not
 * either — except that an uppercase scheme is lowercased, which changes nothing else.
 */
const HTTP_URL = /^(https?):\/\/[^\s\\/?#@]+(?:[/?#][^\s\\]*)?$/;

/** The URL with its scheme lowercased, or null when it is not an http(s) URL by the rule above. */
export function normalizeHttpUrl(value: string): string | null {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? "";
  const candidate = scheme.toLowerCase() + value.slice(scheme.length);
  // eslint-disable-next-line no-control-regex
  if (!HTTP_URL.test(candidate) || /[\u0000-\u001f\u007f]/.test(candidate))
    return null;
  try {
    return new URL(candidate).hostname ? candidate : null;
  } catch {
    return null;
  }
}

/** True for a URL that already satisfies the rule (the scheme already lowercase). */
export function isHttpUrl(value: string): boolean {
  return normalizeHttpUrl(value) === value;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An https URL, or an http one on this machine (the demo's and the tests' local servers). */
export function isHttpsOrLoopback(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname);
}
