import { Badge } from "@shopify/polaris";
import { useLocale } from "~/i18n/use-locale";
import { importText, type ImportStatus } from "./messages";

/** プレビュー (未確定) / 確定中 / 確定済み / 中止 */
export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const locale = useLocale();
  switch (status) {
    case "previewed":
      return <Badge tone="info">{importText(locale, "statusPreviewed")}</Badge>;
    case "committing":
      return (
        <Badge tone="attention">{importText(locale, "statusCommitting")}</Badge>
      );
    case "committed":
      return (
        <Badge tone="success">{importText(locale, "statusCommitted")}</Badge>
      );
    case "refused":
      return (
        <Badge tone="critical">{importText(locale, "statusRefused")}</Badge>
      );
  }
}
