// Writes two tables for U+4E00–U+9FFF, one line per character in code point order: pinyin-initials.txt, the first
// letters of every reading of each character U+4E00–U+9FFF, one line per character in code point
// order ("" when none is known, several letters for a character with several readings, e.g. 单 → "ds").
// Source: pinyin-pro (MIT, https://github.com/zh-lx/pinyin-pro). Run: npm ci && npm run generate
const { pinyin } = require("pinyin-pro");
const fs = require("fs");
const path = require("path");
// and pinyin-syllables.txt, the most common reading without tones (for readable addresses: 冲压 → chong-ya).
const lines = [];
const syllables = [];
for (let cp = 0x4e00; cp <= 0x9fff; cp++) {
  const ch = String.fromCodePoint(cp);
  const one = pinyin(ch, { toneType: "none", type: "array", v: true })[0] || "";
  syllables.push(/^[a-z]+$/.test(one) ? one : "");
  const all = pinyin(ch, { pattern: "first", toneType: "none", multiple: true, type: "array" });
  const letters = [...new Set(all.map((s) => s.toLowerCase()).filter((s) => /^[a-z]$/.test(s)))].join("");
  lines.push(letters);
}
const out = path.join(__dirname, "..", "..", "src", "Recognition.Web", "Resources", "pinyin-initials.txt");
fs.writeFileSync(out, lines.join("\n") + "\n");
fs.writeFileSync(out.replace("initials", "syllables"), syllables.join("\n") + "\n");
console.log(`wrote ${lines.length} characters to ${out}`);
