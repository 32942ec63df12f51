// A real SMTP server (npm smtp-server) on loopback for the e-mail tests, started by the tests as its own process:
//   node server.js '{"user":"mailer","password":"…"}'
// It prints "listening <port>" once it serves, then one JSON line per message it accepted:
//   {"mail": {"from", "to", "subject", "text", "html", "language", "messageId", "user"}}
// A login with another user or password is refused (535), as a real server does. STARTTLS is not offered (the app
// allows plain SMTP only to a loopback relay), so AUTH runs in the clear here only.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const config = JSON.parse(process.argv[2] ?? '{}');
const server = new SMTPServer({
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  authOptional: !config.user,
  size: 1024 * 1024,
  onAuth(auth, session, callback) {
    if (auth.username === config.user && auth.password === config.password) return callback(null, { user: auth.username });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    simpleParser(stream).then((parsed) => {
      console.log(JSON.stringify({
        mail: {
          from: parsed.from?.text, to: parsed.to?.text, subject: parsed.subject, text: parsed.text, html: parsed.html,
          language: parsed.headers.get('content-language'), messageId: parsed.messageId, user: session.user ?? null,
        },
      }));
      callback();
    }, callback);
  },
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.server.address().port}`));
