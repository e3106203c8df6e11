// A real SMTP server (npm smtp-server) on loopback that keeps every message it receives,
// parsed with mailparser, so tests can wait for a mail and read it.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export class Mailbox {
  constructor() {
    this.messages = [];
    this.waiters = [];
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream).then((mail) => {
          mail.envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          this.messages.push(mail);
          this.waiters = this.waiters.filter((w) => !w(mail));
          callback();
        }, callback);
      },
    });
  }

  async listen() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.server.address().port;
    return this.port;
  }

  /// Resolves with the first message (already received or future) for which `match` is true.
  waitFor(match, timeoutMs = 15000) {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching mail arrived')), timeoutMs);
      this.waiters.push((mail) => {
        if (!match(mail)) return false;
        clearTimeout(timer);
        resolve(mail);
        return true;
      });
    });
  }

  close() {
    return new Promise((resolve) => this.server.close(resolve));
  }
}
