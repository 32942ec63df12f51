// Reads {"jwt": "...", "jwks": {...}, "schema": "path"} on stdin; writes {"verified": bool, "error"?: str, "header"?: {}, "payload"?: {}, "schemaErrors": [...]}.
// The signature is checked by jose (not the app's code), the credential by ajv against 1EdTech's published JSON schema.
import { createLocalJWKSet, jwtVerify, decodeJwt } from 'jose';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const out = { verified: false, schemaErrors: [] };
try {
  const { payload, protectedHeader } = await jwtVerify(input.jwt, createLocalJWKSet(input.jwks), { algorithms: ['ES256'] });
  out.verified = true;
  out.header = protectedHeader;
  out.payload = payload;
} catch (e) {
  out.error = `${e.code ?? e.name}: ${e.message}`;
}
if (input.schema) {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(input.schema, 'utf8')));
  const credential = out.payload ?? decodeJwt(input.jwt);
  if (!validate(credential)) out.schemaErrors = validate.errors.map(e => `${e.instancePath} ${e.message}`);
}
process.stdout.write(JSON.stringify(out));
