/**
 * The tracking links Shopify builds for the companies on its list when the app sends a
 * number without a URL. Shopify documents that it "automatically generates" the link for
 * a supported company but not the forms; these are the carriers' public tracking links
 * (chosen, see README.md). Companies not here (or not on the list) get no link.
 */
const TEMPLATES: Record<string, (number: string) => string> = {
  "Yamato (JA)": (n) => `https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=${n}`,
  "Yamato (EN)": (n) => `https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number01=${n}`,
  "Sagawa (JA)": (n) => `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${n}`,
  "Sagawa (EN)": (n) => `https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo=${n}`,
  "Japan Post (JA)": (n) =>
    `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${n}&locale=ja`,
  "Japan Post (EN)": (n) =>
    `https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=${n}&locale=en`,
  "DHL Express": (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}`,
  FedEx: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  UPS: (n) => `https://www.ups.com/track?tracknum=${n}`,
  USPS: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
};

/** Shopify's generated link for a number of `company`, or null. */
export function generatedTrackingUrl(company: string | null, number: string | null): string | null {
  if (!company || !number) return null;
  const template = TEMPLATES[company];
  return template ? template(encodeURIComponent(number)) : null;
}
