import type { Translation } from "../catalogue";

/**
 * The CSV import's words: file problems, per-row errors, notices, the preview's planned
 * actions, commit refusals and the import pages' copy.
 */
const ja = {
  fields: {
    orderName: "注文番号",
    orderId: "注文ID",
    sku: "SKU",
    lineItemId: "ラインアイテムID",
    quantity: "数量",
    trackingNumbers: "追跡番号",
    carrier: "配送業者",
    trackingUrl: "追跡URL",
    notifyCustomer: "顧客に通知",
  },
  encodings: {
    "utf-8": "UTF-8",
    "utf-8-bom": "UTF-8 (BOM 付き)",
    cp932: "Shift_JIS (CP932)",
  },
  binaryKinds: {
    xlsx: "Excel ブック (.xlsx) または ZIP ファイル",
    xls: "Excel 97-2003 ブック (.xls)",
    pdf: "PDF ファイル",
    image: "画像ファイル",
    other: "バイナリファイル",
  },
  file: {
    uploadMissing: "CSV ファイルを選択してください。",
    empty:
      "ファイルが空です。1 行目に列名、2 行目以降に出荷する行を入れた CSV を選択してください。",
    tooLarge:
      "ファイルが大きすぎます ({size})。上限は {limit} です。ファイルを分割して取り込んでください。",
    utf16:
      "UTF-16 (Unicode テキスト) のファイルは読み込めません。Excel の「名前を付けて保存」で「CSV UTF-8 (コンマ区切り)」を選んで保存し直してください。",
    binary:
      "CSV ファイルではありません ({kind})。Excel の「名前を付けて保存」で「CSV UTF-8 (コンマ区切り)」を選んで保存し直してください。",
    undecodable:
      "文字コードを読み取れません: {line} 行目に UTF-8 でも Shift_JIS (CP932) でもないバイト列があります。「CSV UTF-8 (コンマ区切り)」で保存し直してください。",
    malformed:
      "CSV の形式が正しくありません ({line} 行目): {detail}。ファイルを確認して保存し直してください。",
    quoteNotClosed: '「"」で始まった値が閉じられていません',
    invalidQuote: '値の途中に「"」があります',
    recordTooLarge: "1 行が長すぎます",
    missingColumns:
      "必要な列がありません: {columns}。1 行目に列名を入れてください (例: {example})。テンプレートをダウンロードしてご利用いただけます。",
    columnsOr: "{first} または {second}",
    exampleSeparator: ",",
    duplicateColumn:
      "同じ項目の列が 2 つあります: 「{first}」と「{second}」(どちらも {field})。どちらか一方にしてください。",
    headerOnly:
      "データ行がありません (列名の行だけです)。2 行目以降に出荷する行を入力してください。",
    tooManyRows:
      "行数が多すぎます。1 回に取り込めるのは {limit} 行までです。ファイルを分割してください。",
    tooManyColumns:
      "{line} 行目の列が多すぎます ({count} 列)。読み込めるのは {limit} 列までです (テンプレートは {template} 列)。使わない列や行末の空の列を削除して保存し直してください。",
  },
  notices: {
    encoding: "文字コード: {encoding}",
    ignoredColumns: "次の列は使用しません: {columns}",
    blankRows: "空の行を {count} 行読み飛ばしました。",
  },
  rows: {
    controlCharacter:
      "「{column}」に制御文字 ({codepoint}) が含まれています。削除してから取り込み直してください。",
    formula:
      "「{column}」の値「{value}」は数式のように見えます (= + - @ で始まっています)。数式は実行されません。値そのものを入力してください。",
    excelNumber:
      "「{column}」の値「{value}」は Excel で数値 (指数表記) に変換されています。列の書式を「文字列」にして番号を入力し直してください。",
    tooLong:
      "「{column}」が長すぎます ({length} 文字。上限は {limit} 文字です)。",
    extraCells:
      "列名のない列に値があります ({count} 個)。列がずれていないか確認してください。",
    orderMissing: "注文番号 (または注文ID) を入力してください。",
    orderIdInvalid:
      "注文ID「{value}」の形式が正しくありません。数字、または gid://shopify/Order/… の形式で入力してください。",
    orderNotFound:
      "注文「{value}」はこのストアのデータにありません。注文番号を確認してください。",
    orderConflict:
      "注文番号「{name}」と注文ID「{id}」が別々の注文を指しています。どちらかを直してください。",
    lineMissing: "SKU (またはラインアイテムID) を入力してください。",
    lineItemIdInvalid:
      "ラインアイテムID「{value}」の形式が正しくありません。数字、または gid://shopify/LineItem/… の形式で入力してください。",
    lineNotFound: "ラインアイテム「{value}」は注文 {order} にありません。",
    skuNotFound:
      "注文 {order} に SKU「{sku}」の商品はありません (この注文の SKU: {skus})。",
    skuAmbiguous:
      "注文 {order} には SKU「{sku}」の商品が {count} 行あり、どれか決められません。ラインアイテムID ({ids}) で指定してください。",
    skuMismatch:
      "ラインアイテム {lineItemId} の SKU は「{actual}」で、入力された SKU「{sku}」と一致しません。",
    quantityInvalid:
      "数量は 1 以上の整数で入力してください (入力値: {value})。",
    nothingToShip:
      "注文 {order} の「{item}」は、注文数 {ordered} 点がすべて発送済みか、このファイルの前の行で使われています。",
    quantityExceeds:
      "注文 {order} の「{item}」の数量 {quantity} は、新しい出荷にできる残り {available} 点を超えています (注文数 {ordered}、発送済み {shipped}、未発送の出荷で確保済み {held}、このファイルの前の行 {earlier})。",
    heldHint:
      "未発送の出荷 {shipments} がこの商品を確保しています。その出荷を発送済みにするには、同じ追跡番号でその出荷の商品と数量をすべて入力してください ({lines})。",
    trackingMissing: "追跡番号を入力してください。",
    tooManyTracking:
      "追跡番号は 1 行に {limit} 件までです ({count} 件あります)。",
    carrierMissing: "配送業者を入力してください。",
    urlInvalid:
      "追跡URLは http:// または https:// で始まる URL を入力してください (入力値: {value})。",
    notifyInvalid:
      "「顧客に通知」には はい / いいえ (TRUE / FALSE、1 / 0) を入力してください (入力値: {value})。",
    duplicateInFile: "{row} 行目と同じ注文・商品・追跡番号 ({tracking}) です。",
    duplicateExisting:
      "注文 {order} の「{item}」は追跡番号 {tracking} ですでに発送済みです (出荷 #{shipment})。",
    groupConflict:
      "{row} 行目と同じ注文・追跡番号ですが、{fields} が違います。1 つの出荷になる行は揃えてください。",
    redacted:
      "この行の内容は、お客様のデータ削除の依頼 (customers/redact) により削除されました。",
    shipmentSeparator: " / ",
    none: "なし",
  },
  plan: {
    create: "新しい出荷を作成",
    markShipped: "出荷 #{shipment} を発送済みにする",
  },
  commit: {
    refused:
      "プレビューの後にストアのデータが変わったため、取り込みを中止しました ({count} 行が当てはまらなくなりました)。ファイルをもう一度アップロードしてください。",
    refusedPartly:
      "{committed} 行は確定済みです。残りの行は、ファイルをもう一度アップロードして取り込んでください (確定済みの行は「発送済み」として検出されます)。",
    rowNowInvalid: "{row} 行目: {reason}",
    planChanged:
      "{row} 行目: プレビューでは「{before}」でしたが、現在は「{after}」になります。",
    rowNoLongerPlanned: "{row} 行目: この行は現在取り込めません。",
    alreadyCommitted: "この取り込みはすでに確定しています。",
    busy: "この取り込みは別の操作で確定処理中です。しばらくしてからページを再読み込みしてください。",
    expired:
      "プレビューから {hours} 時間以上経ったため確定できません。ファイルをもう一度アップロードしてください。",
    refusedBefore:
      "この取り込みは中止されています。ファイルをもう一度アップロードしてください。",
    nothingToCommit:
      "取り込める行がありません。エラーを直したファイルをアップロードしてください。",
    notFound: "この取り込みは見つかりません。",
  },
  page: {
    navImports: "CSV 取り込み",
    uploadTitle: "追跡番号の CSV 取り込み",
    uploadSubtitle: "スプレッドシートの追跡番号をまとめて発送済みにします",
    uploadCardTitle: "CSV ファイルをアップロード",
    uploadHelp:
      "UTF-8 (BOM 有無どちらも) と Shift_JIS (Excel の「CSV (コンマ区切り)」) に対応しています。最大 {size}、{rows} 行まで。アップロードするとまずプレビューを表示します。確定するまで出荷には何も書き込みません。",
    columnsHelp:
      "列: 注文番号 (または注文ID)、SKU (またはラインアイテムID)、数量 (省略すると未発送の残り全部)、追跡番号 (複数はセル内で改行またはカンマ区切り)、配送業者、追跡URL (任意)、顧客に通知 (任意)。英語の列名も使えます。",
    excelHint:
      "Excel で編集するときは、追跡番号の列の書式を「文字列」にしてください (数値のままだと 1.23457E+11 のように変わって保存されます)。",
    dropHint: "CSV ファイルをドロップ、またはクリックして選択",
    chosenFile: "選択中: {name} ({size})",
    preview: "プレビュー",
    downloadTemplate: "テンプレートをダウンロード",
    recentImports: "最近の取り込み",
    noImports: "まだ取り込みはありません。",
    columnFile: "ファイル",
    columnCreated: "日時",
    columnRows: "行数",
    columnStatus: "状態",
    statusPreviewed: "プレビュー (未確定)",
    statusCommitting: "確定中",
    statusCommitted: "確定済み",
    statusRefused: "中止",
    backToImports: "CSV 取り込み",
    summaryTitle: "概要",
    summaryRows:
      "{total} 行: 取り込める行 {valid}、エラー {errors}、警告あり {warnings}",
    summaryEncoding: "文字コード: {encoding}",
    columnMapping: "列の対応",
    unusedColumn: "(使用しない)",
    previewBanner:
      "プレビューです。まだ出荷には何も書き込んでいません。内容を確認して確定するか、ファイルを直してもう一度アップロードしてください。",
    previewErrorsBanner:
      "{count} 行にエラーがあります。エラーの行は取り込まれません。直したファイルをアップロードし直すこともできます。",
    commit: "{count} 行を確定",
    uploadAgain: "ファイルをアップロードし直す",
    committedBanner:
      "{rows} 行を確定しました (新しい出荷 {created} 件、既存の出荷を発送済みに {marked} 件)。Shopify への同期を進めています。",
    progressTitle: "Shopify への同期",
    progressCounts:
      "同期済み {synced} / 同期待ち {pending} / エラー {failed} (全 {total} 件の出荷)",
    retryFailed: "エラーの {count} 件を再試行",
    exportFailed: "エラーの行を CSV でダウンロード",
    rowsTitle: "行",
    filterAll: "すべて",
    filterErrors: "エラー",
    filterWarnings: "警告",
    filterSyncFailed: "同期エラー",
    filterSyncPending: "同期待ち",
    columnRow: "行",
    columnOrder: "注文",
    columnItem: "商品",
    columnQuantity: "数量",
    columnTracking: "追跡番号",
    columnCarrier: "配送業者",
    columnAction: "内容",
    columnResult: "結果",
    resultValid: "取り込み可",
    resultCommitted: "確定済み",
    noRows: "該当する行はありません。",
    previous: "前へ",
    next: "次へ",
    toastCommitted: "{count} 行を確定しました",
    toastCommitting: "確定を続けています。進み具合はこのページに表示されます",
    commitProgressTitle: "確定",
    commitProgress: "{done} / {total} 行を確定しました",
    commitInterrupted:
      "確定が途中で止まりました (サーバーの再起動など)。確定済みの行はそのままです。「確定を再開」で残りの行を確定します。",
    resumeCommit: "確定を再開",
    toastRetried: "{count} 件の同期を再試行します",
    toastNothingToRetry: "再試行が必要な出荷はありません",
    shipmentLink: "出荷 #{id}",
    shipmentDeleted: "出荷は削除されています",
    templateFileName: "追跡番号テンプレート.csv",
    errorColumn: "エラー",
    syncFailedReason: "同期エラー: {error}",
    syncFailedReasonDetail: "同期エラー: {error} ({detail})",
    badPageParam:
      "ページ番号（page）が正しくありません: {value}。1 〜 10000 の数字で指定してください。",
  },
} as const;

const en: Translation<typeof ja> = {
  fields: {
    orderName: "Order name",
    orderId: "Order ID",
    sku: "SKU",
    lineItemId: "Line item ID",
    quantity: "Quantity",
    trackingNumbers: "Tracking number",
    carrier: "Carrier",
    trackingUrl: "Tracking URL",
    notifyCustomer: "Notify customer",
  },
  encodings: {
    "utf-8": "UTF-8",
    "utf-8-bom": "UTF-8 (with BOM)",
    cp932: "Shift_JIS (CP932)",
  },
  binaryKinds: {
    xlsx: "an Excel workbook (.xlsx) or a ZIP file",
    xls: "an Excel 97-2003 workbook (.xls)",
    pdf: "a PDF file",
    image: "an image",
    other: "a binary file",
  },
  file: {
    uploadMissing: "Choose a CSV file.",
    empty:
      "The file is empty. Choose a CSV with column names in row 1 and the rows to ship from row 2.",
    tooLarge:
      "The file is too large ({size}). The limit is {limit}. Split the file and import the parts.",
    utf16:
      'UTF-16 ("Unicode text") files cannot be read. In Excel, use Save As and choose "CSV UTF-8 (Comma delimited)".',
    binary:
      'This is not a CSV file ({kind}). In Excel, use Save As and choose "CSV UTF-8 (Comma delimited)".',
    undecodable:
      'The file\'s encoding cannot be read: line {line} has bytes that are neither UTF-8 nor Shift_JIS (CP932). Save it as "CSV UTF-8 (Comma delimited)".',
    malformed:
      "The CSV is malformed (line {line}): {detail}. Check the file and save it again.",
    quoteNotClosed: 'a value that starts with " is never closed',
    invalidQuote: 'a " appears in the middle of a value',
    recordTooLarge: "a row is too long",
    missingColumns:
      "Required columns are missing: {columns}. Put the column names in row 1 (for example: {example}). You can download the template.",
    columnsOr: "{first} or {second}",
    exampleSeparator: ",",
    duplicateColumn:
      'Two columns mean the same thing: "{first}" and "{second}" (both {field}). Keep one of them.',
    headerOnly:
      "The file has no data rows (only the column names). Enter the rows to ship from row 2.",
    tooManyRows:
      "The file has too many rows. At most {limit} rows can be imported at once; split the file.",
    tooManyColumns:
      "Row {line} has too many columns ({count}). At most {limit} columns can be read (the template has {template}). Delete the columns you do not use, and empty ones at the end of the rows, then save the file again.",
  },
  notices: {
    encoding: "Encoding: {encoding}",
    ignoredColumns: "These columns are not used: {columns}",
    blankRows: "Skipped {count} blank rows.",
  },
  rows: {
    controlCharacter:
      '"{column}" contains a control character ({codepoint}). Remove it and import again.',
    formula:
      '"{column}" is "{value}", which looks like a spreadsheet formula (it starts with = + - or @). Formulas are never evaluated: enter the value itself.',
    excelNumber:
      '"{column}" is "{value}": Excel turned it into a number in exponent notation. Format the column as Text and enter the number again.',
    tooLong:
      '"{column}" is too long ({length} characters; the limit is {limit}).',
    extraCells:
      "This row has values in columns without a name ({count}). Check that the columns are not shifted.",
    orderMissing: "Enter an order name (or order ID).",
    orderIdInvalid:
      'Order ID "{value}" is not valid. Enter digits or a gid://shopify/Order/… ID.',
    orderNotFound:
      'Order "{value}" is not in this shop\'s data. Check the order name.',
    orderConflict:
      'Order name "{name}" and order ID "{id}" point to different orders. Correct one of them.',
    lineMissing: "Enter a SKU (or line item ID).",
    lineItemIdInvalid:
      'Line item ID "{value}" is not valid. Enter digits or a gid://shopify/LineItem/… ID.',
    lineNotFound: 'Line item "{value}" is not in order {order}.',
    skuNotFound:
      'Order {order} has no item with SKU "{sku}" (SKUs in this order: {skus}).',
    skuAmbiguous:
      'Order {order} has {count} lines with SKU "{sku}", so the line cannot be chosen. Use the line item ID ({ids}).',
    skuMismatch:
      'Line item {lineItemId} has SKU "{actual}", not "{sku}" as entered.',
    quantityInvalid:
      "Enter a quantity of 1 or more, as a whole number (entered: {value}).",
    nothingToShip:
      'All {ordered} units of "{item}" in order {order} are already shipped or used by earlier rows of this file.',
    quantityExceeds:
      'Quantity {quantity} of "{item}" in order {order} is more than the {available} left for a new shipment (ordered {ordered}, shipped {shipped}, held by unshipped shipments {held}, earlier rows of this file {earlier}).',
    heldHint:
      "Unshipped shipment {shipments} holds this item. To mark that shipment shipped, list all of its items and quantities with the same tracking number ({lines}).",
    trackingMissing: "Enter a tracking number.",
    tooManyTracking:
      "At most {limit} tracking numbers per row ({count} entered).",
    carrierMissing: "Enter a carrier.",
    urlInvalid:
      "Enter a tracking URL that starts with http:// or https:// (entered: {value}).",
    notifyInvalid:
      'Enter yes or no for "Notify customer" (TRUE / FALSE, 1 / 0) (entered: {value}).',
    duplicateInFile:
      "Same order, item and tracking number ({tracking}) as row {row}.",
    duplicateExisting:
      '"{item}" in order {order} is already shipped with tracking number {tracking} (shipment #{shipment}).',
    groupConflict:
      "Same order and tracking number as row {row}, but a different {fields}. Rows that make one shipment must agree.",
    redacted:
      "This row's contents were deleted at a customer's data redaction request (customers/redact).",
    shipmentSeparator: " / ",
    none: "none",
  },
  plan: {
    create: "Create a new shipment",
    markShipped: "Mark shipment #{shipment} shipped",
  },
  commit: {
    refused:
      "The shop's data changed after the preview, so the import was stopped ({count} rows no longer fit). Upload the file again.",
    refusedPartly:
      "{committed} rows were committed. Upload the file again to import the rest (the committed rows will show as already shipped).",
    rowNowInvalid: "Row {row}: {reason}",
    planChanged:
      'Row {row}: the preview said "{before}", now it would be "{after}".',
    rowNoLongerPlanned: "Row {row}: this row cannot be imported any more.",
    alreadyCommitted: "This import is already committed.",
    busy: "This import is being committed by another request. Reload the page in a moment.",
    expired:
      "This preview is more than {hours} hours old and can no longer be committed. Upload the file again.",
    refusedBefore: "This import was stopped. Upload the file again.",
    nothingToCommit:
      "No row can be imported. Upload a file with the errors corrected.",
    notFound: "This import was not found.",
  },
  page: {
    navImports: "CSV import",
    uploadTitle: "Import tracking numbers (CSV)",
    uploadSubtitle:
      "Mark shipments shipped from a spreadsheet of tracking numbers",
    uploadCardTitle: "Upload a CSV file",
    uploadHelp:
      'UTF-8 (with or without BOM) and Shift_JIS (Excel\'s "CSV (Comma delimited)" in Japan). Up to {size} and {rows} rows. You see a preview first: nothing is written to shipments until you commit.',
    columnsHelp:
      "Columns: order name (or order ID), SKU (or line item ID), quantity (empty: everything not yet shipped), tracking number (several: new lines or commas in the cell), carrier, tracking URL (optional), notify customer (optional). Japanese column names work too.",
    excelHint:
      "When you edit in Excel, format the tracking number column as Text (as numbers they are saved like 1.23457E+11).",
    dropHint: "Drop a CSV file here, or click to choose one",
    chosenFile: "Chosen: {name} ({size})",
    preview: "Preview",
    downloadTemplate: "Download the template",
    recentImports: "Recent imports",
    noImports: "No imports yet.",
    columnFile: "File",
    columnCreated: "Date",
    columnRows: "Rows",
    columnStatus: "Status",
    statusPreviewed: "Preview (not committed)",
    statusCommitting: "Committing",
    statusCommitted: "Committed",
    statusRefused: "Stopped",
    backToImports: "CSV import",
    summaryTitle: "Summary",
    summaryRows:
      "{total} rows: {valid} can be imported, {errors} with errors, {warnings} with warnings",
    summaryEncoding: "Encoding: {encoding}",
    columnMapping: "Columns",
    unusedColumn: "(not used)",
    previewBanner:
      "This is a preview: nothing has been written to shipments yet. Check it and commit, or correct the file and upload it again.",
    previewErrorsBanner:
      "{count} rows have errors and will not be imported. You can also upload a corrected file.",
    commit: "Commit {count} rows",
    uploadAgain: "Upload a corrected file",
    committedBanner:
      "{rows} rows committed ({created} new shipments, {marked} existing shipments marked shipped). Syncing with Shopify.",
    progressTitle: "Sync with Shopify",
    progressCounts:
      "{synced} synced / {pending} waiting / {failed} errors (of {total} shipments)",
    retryFailed: "Retry the {count} failed",
    exportFailed: "Download the failed rows (CSV)",
    rowsTitle: "Rows",
    filterAll: "All",
    filterErrors: "Errors",
    filterWarnings: "Warnings",
    filterSyncFailed: "Sync errors",
    filterSyncPending: "Waiting to sync",
    columnRow: "Row",
    columnOrder: "Order",
    columnItem: "Item",
    columnQuantity: "Quantity",
    columnTracking: "Tracking number",
    columnCarrier: "Carrier",
    columnAction: "Action",
    columnResult: "Result",
    resultValid: "Can be imported",
    resultCommitted: "Committed",
    noRows: "No rows match.",
    previous: "Previous",
    next: "Next",
    toastCommitted: "{count} rows committed",
    toastCommitting: "Still committing. This page shows the progress",
    commitProgressTitle: "Commit",
    commitProgress: "{done} of {total} rows committed",
    commitInterrupted:
      "The commit stopped part way (a server restart, say). The committed rows stay committed. Resume to commit the rest.",
    resumeCommit: "Resume the commit",
    toastRetried: "Retrying {count} syncs",
    toastNothingToRetry: "No shipment needs a retry",
    shipmentLink: "Shipment #{id}",
    shipmentDeleted: "The shipment was deleted",
    templateFileName: "tracking-import-template.csv",
    errorColumn: "Error",
    syncFailedReason: "Sync error: {error}",
    syncFailedReasonDetail: "Sync error: {error} ({detail})",
    badPageParam:
      "The page number (page) is not valid: {value}. Use a number from 1 to 10000.",
  },
};

export const imports = { ja, en };
