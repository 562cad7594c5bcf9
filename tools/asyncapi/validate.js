#!/usr/bin/env node
// Parses every AsyncAPI document given (files, or directories searched for
// *.json / *.yaml) with AsyncAPI's own parser, Avro and Protobuf schema
// parsers registered, and prints every diagnostic. Exits 1 when any has
// severity error (0), 2 on usage errors.
'use strict';
const fs = require('fs');
const path = require('path');
const { Parser } = require('@asyncapi/parser');
const { AvroSchemaParser } = require('@asyncapi/avro-schema-parser');
const { ProtoBuffSchemaParser } = require('@asyncapi/protobuf-schema-parser');

function files(arg) {
  const st = fs.statSync(arg);
  if (!st.isDirectory()) return [arg];
  return fs.readdirSync(arg).sort().flatMap((n) => {
    const p = path.join(arg, n);
    if (fs.statSync(p).isDirectory()) return files(p);
    return /\.(json|ya?ml)$/.test(n) ? [p] : [];
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.error('usage: node validate.js FILE_OR_DIR...');
    process.exit(2);
  }
  const parser = new Parser({ schemaParsers: [AvroSchemaParser(), ProtoBuffSchemaParser()] });
  const severities = ['error', 'warning', 'info', 'hint'];
  let errors = 0;
  let docs = 0;
  for (const file of args.flatMap(files)) {
    docs += 1;
    const text = fs.readFileSync(file, 'utf8');
    const { document, diagnostics } = await parser.parse(text, { source: path.resolve(file) });
    for (const d of diagnostics) {
      const where = d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}` : '';
      const at = d.path && d.path.length ? ` at ${d.path.join('.')}` : '';
      console.log(`${file}:${where} ${severities[d.severity] || d.severity} ${d.code}: ${d.message}${at}`);
      if (d.severity === 0) errors += 1;
    }
    if (!document && !diagnostics.some((d) => d.severity === 0)) {
      console.log(`${file}: error: the parser returned no document`);
      errors += 1;
    }
  }
  console.log(`${docs} AsyncAPI document(s) parsed, ${errors} error(s)`);
  process.exit(errors > 0 || docs === 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(2);
});
