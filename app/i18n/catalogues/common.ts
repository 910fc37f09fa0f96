import type { Translation } from "../catalogue";

/** Pieces every feature uses: list separators, joined sentences, an unknown action. */
const ja = {
  /** Between the items of a list parameter (`{ list: [...] }`) unless it names another. */
  listSeparator: "、",
  /** Two messages shown as one text. */
  twoSentences: "{first} {second}",
  unknownAction: "不明な操作です。",
  /** Data shown as it is (a code the app has no words for yet, a name). */
  verbatim: "{text}",
} as const;

const en: Translation<typeof ja> = {
  listSeparator: ", ",
  twoSentences: "{first} {second}",
  unknownAction: "Unknown action.",
  verbatim: "{text}",
};

export const common = { ja, en };
