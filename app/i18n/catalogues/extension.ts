import type { Translation } from "../catalogue";

/** Refusals of the order-page extensions' API (/api/extension/*, ~/extension). */
const ja = {
  badOrder: "注文 ID が正しくありません (数字のみ)。",
  badShipment: "出荷 ID が正しくありません (数字のみ)。",
  notJson: "リクエストの本文は JSON のオブジェクトで送ってください。",
  tooLarge: "リクエストの本文が大きすぎます (16 KB まで)。",
  unknownIntent: "不明な操作です (mark_shipped または retry)。",
  wrongTypeString: "「{field}」は文字列で指定してください。",
  wrongTypeBoolean: "「{field}」はtrue か falseで指定してください。",
  usePost: "POST で送ってください。",
} as const;

const en: Translation<typeof ja> = {
  badOrder: "The order ID is not valid (digits only).",
  badShipment: "The shipment ID is not valid (digits only).",
  notJson: "Send the request body as a JSON object.",
  tooLarge: "The request body is too large (16 KB at most).",
  unknownIntent: "Unknown action (mark_shipped or retry).",
  wrongTypeString: "“{field}” must be a string.",
  wrongTypeBoolean: "“{field}” must be a boolean.",
  usePost: "Use POST.",
};

export const extension = { ja, en };
