import { Badge } from "@shopify/polaris";
import { useT } from "~/i18n/use-locale";
import type { ImportStatus } from "./messages";

/** プレビュー (未確定) / 確定中 / 確定済み / 中止 */
export function ImportStatusBadge({ status }: { status: ImportStatus }) {
  const tr = useT();
  switch (status) {
    case "previewed":
      return <Badge tone="info">{tr("imports.page.statusPreviewed")}</Badge>;
    case "committing":
      return (
        <Badge tone="attention">{tr("imports.page.statusCommitting")}</Badge>
      );
    case "committed":
      return (
        <Badge tone="success">{tr("imports.page.statusCommitted")}</Badge>
      );
    case "refused":
      return <Badge tone="critical">{tr("imports.page.statusRefused")}</Badge>;
  }
}
