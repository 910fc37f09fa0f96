import type { Translation } from "../catalogue";

/**
 * The fulfillment domain's words (~/fulfillment/messages turns its findings into keys
 * of this catalogue): status badges, action labels, error classes and their guidance,
 * mapping problems, carrier and tracking-number warnings, carrier names.
 */
const ja = {
  badge: {
    unshipped: "未発送",
    shipped: "発送済み",
    shippedNotSynced: "発送済み (未同期)",
    unshippedNotSynced: "未発送 (未同期)",
    syncError: "同期エラー",
  },
  actions: {
    markShipped: "発送済みにする",
    revertToUnshipped: "未発送に戻す",
    retrySync: "同期を再試行",
    reauthorize: "アプリを再認可する",
    grantScopes: "権限を承認する",
    correctTracking: "追跡情報を修正",
  },
  errorClass: {
    reauth_required: "再認証が必要",
    missing_scope: "権限不足",
    not_found: "Shopify に見つからない",
    invalid: "Shopify が受け付けない内容",
    throttled: "API 利用上限",
    transient: "一時的なエラー",
    outcome_unknown: "反映結果が不明",
    shop_unavailable: "ストアが利用不可",
    protected_customer_data: "顧客データの利用が未承認",
    order_too_old: "60 日より前の注文",
  },
  guidance: {
    reauthRequiredTitle: "Shopify との接続が無効になっています",
    reauthRequiredAction:
      "アプリを開き直して再認証してください。解決しない場合はアプリを再インストールしてください。再認証まで、このストアの同期は一時停止します。",
    missingScopeTitle: "権限が不足しています – アプリの再認可をご確認ください",
    missingScopeAction:
      "必要な権限: {scopes}。ストアのオーナー (またはアプリを管理できるスタッフ) がアプリを開き、表示される画面で権限を承認してください。ご自身のスタッフアカウントに注文を発送する権限がない場合も、このエラーになります。",
    missingScopeUnknownAction:
      "必要な権限を特定できませんでした。ストアのオーナー (またはアプリを管理できるスタッフ) がアプリを開き、表示される画面で権限を承認してください。ご自身のスタッフアカウントに注文を発送する権限がない場合も、このエラーになります。",
    notFoundTitle: "Shopify 上に対象が見つかりません",
    notFoundAction:
      "注文の配送オーダーが移動・統合・キャンセルされたか、発送 (フルフィルメント) が削除された可能性があります。Shopify の最新の状態を読み込み直してから、もう一度お試しください。",
    invalidQuantityTitle: "数量が Shopify の未発送数量と合いません",
    invalidQuantityAction:
      "Shopify 側ですでに発送済みになっている可能性があります。Shopify の最新の状態を確認し、この出荷の数量を見直してください。",
    invalidStatusTitle: "配送オーダーが発送できない状態です",
    invalidStatusAction:
      "配送オーダーが保留中・予約済み・クローズ済みの可能性があります。Shopify 管理画面で注文を確認し、保留の解除などを行ってから再試行してください。",
    invalidTrackingTitle: "追跡情報が受け付けられませんでした",
    invalidTrackingAction:
      "配送業者・追跡番号・追跡 URL を確認して修正してください。Shopify の応答: {detail}",
    invalidOtherTitle: "Shopify がリクエストを受け付けませんでした",
    invalidOtherAction:
      "Shopify の応答: {detail}。出荷の内容を確認してください。解決しない場合は、この応答を添えてアプリのサポートにお問い合わせください。",
    invalidCheckedTitle:
      "この出荷は Shopify の注文と合わないため、送信していません",
    invalidCheckedAction: "{detail}\n出荷の内容を確認してください。",
    throttledTitle: "Shopify API の利用上限に達しました",
    throttledAction:
      "{seconds} 秒以上待ってから再試行してください。自動再試行が有効な場合は自動で再送されます。",
    transientTitle: "Shopify で一時的な問題が発生しました",
    transientAction:
      "しばらくしてから再試行してください。自動再試行が有効な場合は自動で再送されます。",
    transientCheckedAction: "{detail}\n「今すぐ再試行」で送り直せます。",
    outcomeUnknownTitle: "Shopify への反映結果を確認できませんでした",
    outcomeUnknownAction:
      "送信後に応答が途切れたため、Shopify に反映されたかどうか分かりません。二重に発送済みにならないよう、再試行の前に Shopify の状態を照合します。",
    shopFrozenTitle: "ストアが凍結されています",
    shopFrozenAction:
      "Shopify へのお支払いが確認できないため、ストアが凍結されています。Shopify 管理画面で請求の状況を確認してください。解除後に同期を再試行できます。",
    shopLockedTitle: "ストアがロックされています",
    shopLockedAction:
      "Shopify によりストアがロックされています。Shopify サポートにお問い合わせください。解除後に同期を再試行できます。",
    shopUnavailableTitle: "ストアが現在利用できません",
    shopUnavailableAction:
      "Shopify でストアが利用できない状態です。Shopify 管理画面をご確認のうえ、Shopify サポートにお問い合わせください。",
    protectedCustomerDataTitle:
      "このアプリは Shopify の保護された顧客データの利用を承認されていません",
    protectedCustomerDataAction:
      "注文データの読み取りを Shopify が拒否しました。ストアの権限では解決できません。アプリの開発者が Partner Dashboard の「アプリ」→ このアプリ →「API アクセスリクエスト」→「保護された顧客データへのアクセス」で利用申請 (レベル 1: 顧客の氏名・住所・電話・メールは使いません) を行い、承認後にこの出荷の同期を再試行してください。",
    orderTooOldTitle:
      "60 日より前の注文は、追加の権限がないと Shopify から読み取れません",
    orderTooOldAction:
      "Shopify はアプリに直近 60 日間の注文だけを見せます。「古い注文へのアクセスを許可する」から「すべての注文の読み取り」(read_all_orders) を承認すると、この出荷の同期を自動で再開します。",
  },
  problems: {
    settledNotApplied:
      "送信後に Shopify の応答が途切れましたが、その後 Shopify を確認したところ、この試行の変更はありませんでした。再試行しても二重にはなりません。",
    orderCancelled:
      "注文 {order} は Shopify でキャンセルされています。発送済みにはできません。",
    orderCancelledStopped:
      "注文 {order} は Shopify でキャンセルされたため、この同期を止めました。Shopify には何も送っていません。",
    noLines:
      "この出荷には商品がありません。発送する商品と数量を追加してください。",
    invalidQuantity:
      "「{item}」の数量 {quantity} は正しくありません。1 以上の整数を指定してください。",
    duplicateLine:
      "「{item}」がこの出荷に重複して含まれています。1 行にまとめてください。",
    lineNotFound:
      "「{item}」は Shopify の注文の配送オーダーに見つかりません。注文が編集されたか、別の注文の商品の可能性があります。",
    alreadyFulfilled:
      "「{item}」は Shopify 上で未発送の数量が残っていません (すでに発送済みか、注文から取り除かれています)。",
    quantityExceedsRemaining:
      "「{item}」を {requested} 点発送しようとしていますが、Shopify 上で未発送なのは {remaining} 点です (今すぐ発送できるのは {fulfillable} 点)。",
    fulfillmentOrderOnHold:
      "「{item}」のうち {remaining} 点は、{location}保留中の配送オーダーにあります。Shopify 管理画面で保留を解除してから再試行してください。",
    fulfillmentOrderScheduled:
      "「{item}」のうち {remaining} 点は、{location}{fulfillAt} 以降に発送予定の配送オーダーにあります。その日時以降に再試行してください。",
    fulfillmentOrderScheduledNoDate:
      "「{item}」のうち {remaining} 点は、{location}予約済み (発送日時待ち) の配送オーダーにあります。発送可能になってから再試行してください。",
    fulfillmentOrderClosed:
      "「{item}」のうち {remaining} 点は、{location}{status}の配送オーダーにあり、発送できません。Shopify 管理画面で注文を確認してください。",
    fulfillmentOrderNotFulfillable:
      "「{item}」のうち {remaining} 点は、{location}このアプリから発送できない配送オーダー (状態: {status}) にあります。配送サービスに委託された商品の可能性があります。",
    spansMultipleLocations:
      "この出荷の商品は 1 つのロケーションにそろっていません ({locations})。Shopify では発送はロケーションごとに作成されます。Shopify 管理画面で商品を 1 つのロケーションに移動するか、ロケーションごとに出荷を分けてください。",
    atLocation: "ロケーション「{location}」の",
    locationSummary: "{location}: {lines}",
    lineQuantity: "{item} ×{quantity}",
    unknownLocation: "ロケーション不明",
    statusClosed: "クローズ済み",
    statusCancelled: "キャンセル済み",
    statusIncomplete: "未完了で終了",
    locationSeparator: " / ",
  },
  carrierWarnings: {
    unknownCarrier:
      "「{input}」は Shopify が認識する配送業者名ではありません。このまま保存できますが、追跡リンクや配送状況の自動更新は行われません。",
    unknownCarrierWithSuggestions:
      "「{input}」は Shopify が認識する配送業者名ではありません。もしかして: {suggestions}。このまま保存することもできますが、追跡リンクや配送状況の自動更新は行われません。",
    carrierNotListedForCountry:
      "「{company}」は、このストアの国 ({countryCode}) では Shopify の配送業者一覧にありません。追跡リンクが作られない可能性があります。",
  },
  trackingWarnings: {
    notNumeric:
      "{carrier}の追跡番号は通常、数字のみです (入力: {number})。番号を確認してください。",
    unexpectedLength:
      "{carrier}の追跡番号は通常 {expected} 桁です (入力: {actual} 桁)。番号を確認してください。",
    checkDigitMismatch:
      "{carrier}の追跡番号 {number} は最後の桁 (チェックデジット) が合いません。入力ミスがないか確認してください。",
    unexpectedFormat:
      "{carrier}の追跡番号は通常、11〜13 桁の数字か「英字 2 文字 + 数字 9 桁 + JP」の形式です (入力: {number})。番号を確認してください。",
    lengthRange: "{min}〜{max}",
  },
  carriers: {
    yamato: "ヤマト運輸",
    sagawa: "佐川急便",
    japan_post: "日本郵便",
    seino: "西濃運輸",
    seino_super_express: "西濃スーパーエキスプレス",
    fukuyama: "福山通運",
    nittsu: "日本通運",
    meitetsu: "名鉄運輸",
    daiichi: "第一貨物",
    ecohai: "エコ配",
    variantJa: "{name} (日本語)",
    variantEn: "{name} (英語)",
  },
} as const;

const en: Translation<typeof ja> = {
  badge: {
    unshipped: "Unshipped",
    shipped: "Shipped",
    shippedNotSynced: "Shipped (not synced)",
    unshippedNotSynced: "Unshipped (not synced)",
    syncError: "Sync error",
  },
  actions: {
    markShipped: "Mark as shipped",
    revertToUnshipped: "Revert to unshipped",
    retrySync: "Retry sync",
    reauthorize: "Re-authorize the app",
    grantScopes: "Grant permissions",
    correctTracking: "Correct tracking",
  },
  errorClass: {
    reauth_required: "Re-authentication needed",
    missing_scope: "Missing permissions",
    not_found: "Not found in Shopify",
    invalid: "Rejected by Shopify",
    throttled: "API rate limit",
    transient: "Temporary error",
    outcome_unknown: "Outcome unknown",
    shop_unavailable: "Store unavailable",
    protected_customer_data: "Customer data not approved",
    order_too_old: "Order older than 60 days",
  },
  guidance: {
    reauthRequiredTitle: "The connection to Shopify is no longer valid",
    reauthRequiredAction:
      "Open the app again to re-authenticate. If that does not help, reinstall the app. Syncing for this store is paused until then.",
    missingScopeTitle:
      "Missing permissions – please check the app's re-authorization",
    missingScopeAction:
      "Required permission: {scopes}. The store owner (or staff who can manage apps) must open the app and approve the permissions it asks for. The same error appears when your staff account is not allowed to fulfill orders.",
    missingScopeUnknownAction:
      "Shopify did not say which permission is missing. The store owner (or staff who can manage apps) must open the app and approve the permissions it asks for. The same error appears when your staff account is not allowed to fulfill orders.",
    notFoundTitle: "Not found in Shopify",
    notFoundAction:
      "The order's fulfillment orders may have been moved, merged or cancelled, or the fulfillment deleted. Reload the latest state from Shopify, then try again.",
    invalidQuantityTitle:
      "Quantity does not match what remains unfulfilled in Shopify",
    invalidQuantityAction:
      "The items may already be fulfilled in Shopify. Check the latest state in Shopify and review the quantities of this shipment.",
    invalidStatusTitle: "The fulfillment order cannot be fulfilled now",
    invalidStatusAction:
      "The fulfillment order may be on hold, scheduled or closed. Check the order in Shopify admin, release the hold if there is one, then retry.",
    invalidTrackingTitle: "Tracking information was rejected",
    invalidTrackingAction:
      "Check and correct the carrier, tracking number and tracking URL. Shopify said: {detail}",
    invalidOtherTitle: "Shopify rejected the request",
    invalidOtherAction:
      "Shopify said: {detail}. Check the shipment. If this persists, contact the app's support with this message.",
    invalidCheckedTitle:
      "This shipment does not fit the order in Shopify, so it was not sent",
    invalidCheckedAction: "{detail}\nCheck the shipment.",
    throttledTitle: "Shopify API rate limit reached",
    throttledAction:
      "Wait {seconds} s or more, then retry. With automatic retry on, the app resends by itself.",
    transientTitle: "Shopify had a temporary problem",
    transientAction:
      "Retry in a moment. With automatic retry on, the app resends by itself.",
    transientCheckedAction: "{detail}\nUse “Retry now” to send it again.",
    outcomeUnknownTitle: "Could not confirm whether Shopify applied the change",
    outcomeUnknownAction:
      "The answer was lost after the request was sent, so it is unknown whether Shopify applied it. To avoid fulfilling twice, the app compares with Shopify's current state before retrying.",
    shopFrozenTitle: "The store is frozen",
    shopFrozenAction:
      "Shopify froze the store because a payment is outstanding. Check billing in Shopify admin. Sync can be retried once the store is unfrozen.",
    shopLockedTitle: "The store is locked",
    shopLockedAction:
      "Shopify has locked the store. Contact Shopify Support. Sync can be retried once the store is unlocked.",
    shopUnavailableTitle: "The store is currently unavailable",
    shopUnavailableAction:
      "Shopify reports the store as unavailable. Check Shopify admin and contact Shopify Support.",
    protectedCustomerDataTitle:
      "This app is not approved for Shopify's protected customer data",
    protectedCustomerDataAction:
      "Shopify refused to show the order. Store permissions cannot fix this: the app's developer must request access in the Partner Dashboard under Apps → this app → API access requests → Protected customer data access (Level 1: no customer names, addresses, phones or emails are used). Once approved, retry this shipment's sync.",
    orderTooOldTitle:
      "Orders older than 60 days need one more permission before Shopify shows them",
    orderTooOldAction:
      'Shopify shows apps only the last 60 days of orders. Approve "Read all orders" (read_all_orders) with "Allow access to older orders" and this shipment\'s sync resumes on its own.',
  },
  problems: {
    settledNotApplied:
      "Shopify's answer was lost after sending; Shopify was read afterwards and nothing from this attempt is there, so a retry cannot fulfill twice.",
    orderCancelled:
      "Order {order} was cancelled in Shopify, so it cannot be marked shipped.",
    orderCancelledStopped:
      "Order {order} was cancelled in Shopify: this sync was stopped and nothing was sent to Shopify.",
    noLines:
      "This shipment has no items. Add the items and quantities to ship.",
    invalidQuantity:
      'The quantity {quantity} for "{item}" is not valid. Use a whole number of 1 or more.',
    duplicateLine:
      '"{item}" appears more than once in this shipment. Combine it into one line.',
    lineNotFound:
      '"{item}" is not in the order\'s fulfillment orders in Shopify. The order may have been edited, or the item belongs to another order.',
    alreadyFulfilled:
      'No unit of "{item}" remains unfulfilled in Shopify (it is already fulfilled or was removed from the order).',
    quantityExceedsRemaining:
      'This shipment ships {requested} of "{item}", but only {remaining} remain unfulfilled in Shopify ({fulfillable} can be fulfilled now).',
    fulfillmentOrderOnHold:
      '{remaining} of "{item}" are on a fulfillment order {location}that is on hold. Release the hold in Shopify admin, then retry.',
    fulfillmentOrderScheduled:
      '{remaining} of "{item}" are on a fulfillment order {location}scheduled for {fulfillAt}. Retry after that time.',
    fulfillmentOrderScheduledNoDate:
      '{remaining} of "{item}" are on a scheduled fulfillment order {location}that is not ready yet. Retry once it can be fulfilled.',
    fulfillmentOrderClosed:
      '{remaining} of "{item}" are on a fulfillment order {location}that is {status} and cannot be fulfilled. Check the order in Shopify admin.',
    fulfillmentOrderNotFulfillable:
      '{remaining} of "{item}" are on a fulfillment order {location}that this app cannot fulfill (status: {status}). It may be assigned to a fulfillment service.',
    spansMultipleLocations:
      "The items of this shipment are not at one location ({locations}). Shopify creates one fulfillment per location. Move the items to one location in Shopify admin, or split the shipment by location.",
    atLocation: 'at "{location}" ',
    locationSummary: "{location}: {lines}",
    lineQuantity: "{item} ×{quantity}",
    unknownLocation: "unknown location",
    statusClosed: "closed",
    statusCancelled: "cancelled",
    statusIncomplete: "incomplete",
    locationSeparator: "; ",
  },
  carrierWarnings: {
    unknownCarrier:
      '"{input}" is not a carrier name Shopify recognizes. You can save it, but there will be no tracking link and no automatic delivery updates.',
    unknownCarrierWithSuggestions:
      '"{input}" is not a carrier name Shopify recognizes. Did you mean: {suggestions}? You can save it as typed, but there will be no tracking link and no automatic delivery updates.',
    carrierNotListedForCountry:
      '"{company}" is not on Shopify\'s carrier list for stores in this country ({countryCode}). A tracking link may not be created.',
  },
  trackingWarnings: {
    notNumeric:
      "{carrier} tracking numbers are usually digits only (entered: {number}). Check the number.",
    unexpectedLength:
      "{carrier} tracking numbers usually have {expected} digits (entered: {actual}). Check the number.",
    checkDigitMismatch:
      "The last digit (check digit) of {carrier} tracking number {number} does not match. Check for a typo.",
    unexpectedFormat:
      '{carrier} tracking numbers are usually 11–13 digits or "2 letters + 9 digits + JP" (entered: {number}). Check the number.',
    lengthRange: "{min}–{max}",
  },
  carriers: {
    yamato: "Yamato Transport",
    sagawa: "Sagawa Express",
    japan_post: "Japan Post",
    seino: "Seino Transportation",
    seino_super_express: "Seino Super Express",
    fukuyama: "Fukuyama Transporting",
    nittsu: "Nippon Express",
    meitetsu: "Meitetsu Unyu",
    daiichi: "Daiichi Kamotsu",
    ecohai: "Ecohai",
    variantJa: "{name} (Japanese)",
    variantEn: "{name} (English)",
  },
};

export const fulfillment = { ja, en };
