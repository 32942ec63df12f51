// A real OpenID Connect provider (npm oidc-provider) on loopback, for the sign-in tests. Started by the tests
// (tests/Recognition.Tests/Identity/TestIdp.cs) as its own process:
//   node idp.js '<json>'   with {"clients":[{client_id, client_secret, redirect_uris, post_logout_redirect_uris}],
//                                "accounts":{"login":{claims…}}}
// It prints "listening <issuer>" once it serves. The login step is a one-field form (POST /interaction/:uid/login
// with login=<account>), which grants every requested scope. Token answers are the provider's own, signed with
// its key; a test can ask for one mis-issued token through POST /__test/mode {"mode": …}:
//   wrong-aud  the id_token names another client as its audience
//   wrong-iss  the id_token names another issuer
//   skew       the id_token was issued and expired two hours ago
//   none       back to normal
// Each mode is re-signed with the provider's own key, so only the claim under test is wrong.
// Back-channel logout is on: ending a session here POSTs the provider's logout token to each client's
// backchannel_logout_uri. For the refusal cases a test can also ask for a logout token signed with the provider's key
// (POST /__test/logout-token {sub, sid, aud, events, nonce}), and read the last ID token issued (GET /__test/stats).
import crypto from 'node:crypto';
import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

const config = JSON.parse(process.argv[2] ?? '{}');
const accounts = config.accounts ?? {};
let mode = 'none';
let tokenRequests = 0;
let lastIdToken = null;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(jwk, 'RS256');

async function start() {
  // The issuer must be known before listening: bind first on an ephemeral port, then build the provider with it.
  const http = await import('node:http');
  const server = http.createServer();
  await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: (config.clients ?? []).map((c) => ({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
      ...c,
    })),
    // The app under test listens on loopback, which the provider's outgoing fetch refuses by default (SSRF guard).
    fetch: (url, options) => { const { dispatcher, ...rest } = options; return globalThis.fetch(url, rest); },
    pkce: { required: () => true },
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'employee_id', 'site', 'team', 'locale'],
      email: ['email', 'email_verified'],
    },
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...(accounts[id] ?? {}) }),
    }),
    jwks: { keys: [jwk] },
    cookies: { keys: ['recognition-test-idp-cookie-key'] },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          // Sign out without a question, as a provider configured for single logout does.
          ctx.body = `<!DOCTYPE html><html><body>${form}<script>document.forms[0].submit()</script></body></html>`;
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 120, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  });
  provider.proxy = false;
  provider.on('backchannel.error', (ctx, err, client) => console.error(`backchannel.error ${client.clientId} ${client.backchannelLogoutUri}: ${err.message} ${err.cause?.message ?? ""}`));
  provider.on('server_error', (ctx, err) => console.error(`server_error: ${err.message}`));

  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test/mode' && ctx.method === 'POST') {
      const body = await readJson(ctx.req);
      mode = body.mode ?? 'none';
      ctx.body = { mode };
      return;
    }
    if (ctx.path === '/__test/accounts' && ctx.method === 'POST') {
      Object.assign(accounts, await readJson(ctx.req));
      ctx.body = { accounts: Object.keys(accounts).length };
      return;
    }
    if (ctx.path === '/__test/logout-token' && ctx.method === 'POST') {
      const b = await readJson(ctx.req);
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: issuer, aud: b.aud ?? config.clients?.[0]?.client_id, iat: now, exp: now + 120, jti: b.jti ?? crypto.randomUUID() };
      if (b.sub) claims.sub = b.sub;
      if (b.sid) claims.sid = b.sid;
      if (b.nonce) claims.nonce = b.nonce;
      if (b.events !== false) claims.events = { 'http://schemas.openid.net/event/backchannel-logout': {} };
      ctx.body = { logout_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'logout+jwt' }).sign(signingKey) };
      return;
    }
    if (ctx.path === '/__test/stats') {
      ctx.body = { tokenRequests, lastIdToken };
      return;
    }
    const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
    if (m) {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (!m[2]) {
        ctx.type = 'html';
        ctx.body = `<!DOCTYPE html><html><body><form method="post" action="/interaction/${details.uid}/login">`
          + '<input name="login" autofocus><button type="submit">Sign in</button></form></body></html>';
        return;
      }
      const form = new URLSearchParams(await readText(ctx.req));
      const login = form.get('login') ?? '';
      const grant = new provider.Grant({ accountId: login, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
      return;
    }
    if (ctx.path === '/token') tokenRequests += 1;
    await next();
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) lastIdToken = ctx.body.id_token;
    if (ctx.path === '/token' && ctx.status === 200 && mode !== 'none' && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await misissue(ctx.body.id_token) };
    }
  });

  server.on('request', provider.callback());
  console.log(`listening ${issuer}`);
}

async function misissue(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'wrong-aud') claims.aud = 'another-client';
  if (mode === 'wrong-iss') claims.iss = 'https://idp.attacker.example';
  if (mode === 'skew') {
    claims.iat = now - 7200;
    claims.exp = now - 6600;
    claims.auth_time = now - 7200;
  }
  return new SignJWT(claims).setProtectedHeader({ alg: header.alg, kid: header.kid, typ: header.typ }).sign(signingKey);
}

function readText(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { data += chunk; if (data.length > 1e6) reject(new Error('too large')); });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

async function readJson(req) {
  const text = await readText(req);
  return text ? JSON.parse(text) : {};
}

await start();
