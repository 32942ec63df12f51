// Usage: node check.js FILE...   Each file is T-SQL; a file may hold several statements separated by
// lines "-- end --". Prints each syntax error with file and line; exits 1 if any.
"use strict";
const fs = require("fs");
const { antlr4tsSQL, SQLDialect } = require("antlr4ts-sql");

function check(sql) {
  const errors = [];
  const listener = {
    syntaxError: (_r, _s, line, col, msg) => errors.push(`line ${line}:${col} ${msg}`),
  };
  const a = new antlr4tsSQL(SQLDialect.TSQL);
  const tokens = a.getTokens(sql, [listener]);
  const parser = a.getParser(tokens, [listener]);
  a.getParseTree(parser);
  return errors;
}

let failed = 0, checked = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  for (const [i, block] of text.split(/^-- end --$/m).entries()) {
    if (!block.trim()) continue;
    checked++;
    for (const e of check(block)) {
      failed++;
      console.log(`${file}${i ? ` (statement ${i + 1})` : ""}: ${e.length > 240 ? e.slice(0, 240) + "…" : e}`);
    }
  }
}
console.log(`T-SQL check: ${checked} blocks, ${failed} errors`);
process.exit(failed ? 1 : 0);
