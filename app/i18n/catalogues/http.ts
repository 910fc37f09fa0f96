import type { Translation } from "../catalogue";

/** Refused requests (~/http): unreadable URL parameters and bodies. */
const ja = {
  unreadableCursor:
    "ページの位置（cursor）が読めません。一覧の最初のページから開き直してください。",
  controlCharacter:
    "検索条件（{name}）に制御文字 ({codepoint}) が含まれています。入力し直してください。",
  bodyTooLarge: "リクエストの本文が大きすぎます（上限 {size}）。",
  notAForm: "フォームとして読めない本文です。",
} as const;

const en: Translation<typeof ja> = {
  unreadableCursor:
    "The page position (cursor) cannot be read. Open the list again from its first page.",
  controlCharacter:
    "The search ({name}) contains a control character ({codepoint}). Type it again.",
  bodyTooLarge: "The request body is too large (limit {size}).",
  notAForm: "The request body is not a form.",
};

export const http = { ja, en };
