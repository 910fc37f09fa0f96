import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { t } from "~/i18n/messages";
import { decodeCsvBytes } from "~/imports/decode";

const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER =
  "注文番号,SKU,追跡番号,配送業者\r\n#1001,A-1,123456789012,ヤマト運輸\r\n";

describe("decodeCsvBytes", () => {
  it("reads UTF-8, UTF-8 with BOM and CP932, and says which it used", () => {
    expect(decodeCsvBytes(utf8(HEADER))).toEqual({
      ok: true,
      text: HEADER,
      encoding: "utf-8",
    });
    expect(
      decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(HEADER)])),
    ).toEqual({
      ok: true,
      text: HEADER,
      encoding: "utf-8-bom",
    });
    const sjis = iconv.encode(HEADER, "cp932");
    expect(decodeCsvBytes(new Uint8Array(sjis))).toEqual({
      ok: true,
      text: HEADER,
      encoding: "cp932",
    });
  });

  it("reads CP932's own characters (NEC and IBM extensions Excel writes)", () => {
    const text = "注文番号\r\n①髙﨑～－\r\n";
    const result = decodeCsvBytes(new Uint8Array(iconv.encode(text, "cp932")));
    expect(result).toMatchObject({ ok: true, text, encoding: "cp932" });
  });

  it("refuses an empty file, and one with only a BOM or blank lines", () => {
    for (const bytes of [
      new Uint8Array(),
      new Uint8Array([0xef, 0xbb, 0xbf]),
      utf8("\r\n \r\n"),
    ]) {
      const result = decodeCsvBytes(bytes);
      expect(result).toMatchObject({ ok: false, code: "empty" });
      if (!result.ok) expect(t("ja", result.message)).toContain("ファイルが空です");
    }
  });

  it("refuses a file over the size limit before decoding it", () => {
    const result = decodeCsvBytes(new Uint8Array(11), { maxFileBytes: 10 });
    expect(result).toMatchObject({ ok: false, code: "too_large" });
  });

  it("refuses UTF-16 with how to save the file instead", () => {
    const result = decodeCsvBytes(new Uint8Array([0xff, 0xfe, 0x3a, 0x6e]));
    expect(result).toMatchObject({ ok: false, code: "utf16" });
    if (!result.ok) expect(t("en", result.message)).toContain("CSV UTF-8");
  });

  it("refuses binary files, naming an Excel workbook when it is one", () => {
    const xlsx = decodeCsvBytes(
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
    );
    expect(xlsx).toMatchObject({ ok: false, code: "binary" });
    if (!xlsx.ok) {
      expect(t("ja", xlsx.message)).toContain("Excel ブック");
      expect(t("en", xlsx.message)).toContain("Excel workbook");
    }
    const png = decodeCsvBytes(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png).toMatchObject({ ok: false, code: "binary" });
    const nul = decodeCsvBytes(utf8("a,b\r\n1,\u0000\r\n"));
    expect(nul).toMatchObject({ ok: false, code: "binary" });
  });

  it("refuses bytes that are neither UTF-8 nor CP932, with the line", () => {
    // Line 3 holds 0x81 0x20: a CP932 lead byte without a valid trail byte.
    const bytes = new Uint8Array([
      ...utf8("a,b\r\nc,d\r\n"),
      0x81,
      0x20,
      0x0d,
      0x0a,
    ]);
    const result = decodeCsvBytes(bytes);
    expect(result).toMatchObject({ ok: false, code: "undecodable" });
    if (!result.ok) {
      expect(t("ja", result.message)).toContain("3 行目");
      expect(t("en", result.message)).toContain("line 3");
    }
  });

  it("treats a broken UTF-8 file with a BOM as broken, not as CP932", () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...utf8("a\n"),
      0xe3,
      0x81,
    ]);
    expect(decodeCsvBytes(bytes)).toMatchObject({
      ok: false,
      code: "undecodable",
    });
  });
});
