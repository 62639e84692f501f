import * as z from '../core/zod.js';
import { registerSecret, scrub } from '../core/scrub.js';
import { channelBase, secretFields, DeliveryError, optionalSecret } from './channel-base.js';
import { htmlOf, subjectOf, textOf } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('email'),
  smtp: z.strictObject({
    host: z.string().check(z.minLength(1)),
    port: z._default(z.int().check(z.gte(1), z.lte(65535)), 587),
    /** implicit TLS (port 465); false upgrades with STARTTLS when offered */
    secure: z._default(z.boolean(), false),
    /** refuse to send unless STARTTLS succeeds */
    requireTLS: z._default(z.boolean(), false),
    user: z.optional(z.string().check(z.minLength(1))),
    /** file holding the SMTP password (a bare name is looked up in $CREDENTIALS_DIRECTORY) */
    ...secretFields('password'),
  }),
  from: z.string().check(z.minLength(3)),
  to: z.array(z.string().check(z.minLength(3))).check(z.minLength(1)),
});
type EmailConfig = z.output<typeof schema>;

/** OpenSSL's words for "the other side did not answer in TLS" (a plain greeting read as a TLS record). */
const notTls = /wrong version number|packet length too long|unknown protocol|record layer failure/i;

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: EmailConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch: AlertBatch) {
      const password = await optionalSecret(config.smtp, 'password', `channels.${config.name}.smtp`, deps.env);
      // As AUTH PLAIN sends it; AUTH LOGIN's base64 of the password alone is registered with it.
      if (password) registerSecret(`\0${config.smtp.user ?? ''}\0${password}`);
      // nodemailer is loaded only when a mail is actually sent: a quiet check never pays for it.
      const nodemailer = (await import('nodemailer')).default;
      const timeout = config.timeout;
      const transport = nodemailer.createTransport({
        host: config.smtp.host,
        port: config.smtp.port,
        secure: config.smtp.secure,
        requireTLS: config.smtp.requireTLS,
        ...(config.smtp.user ? { auth: { user: config.smtp.user, pass: password ?? '' } } : {}),
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        // At the deadline the socket is destroyed, not closed politely (a dripping server would
        // hold a polite close open).
        socketCloseTimeout: 0,
        tls: { minVersion: 'TLSv1.2' },
      });
      // nodemailer's own timeouts are for silence; a server that answers slowly, a line at a
      // time, is held to the channel's timeout for the whole delivery by this signal.
      const deadline = AbortSignal.timeout(timeout);
      const where = `SMTP ${config.smtp.host}:${config.smtp.port}`;
      try {
        await transport.sendMail({ from: config.from, to: config.to, subject: subjectOf(batch), text: textOf(batch), html: htmlOf(batch), signal: deadline });
      } catch (error) {
        if (deadline.aborted) throw new DeliveryError(`${where} failed: not delivered within ${timeout / 1000}s`);
        const { message, code } = error as Error & { code?: string };
        if (config.smtp.secure && notTls.test(message)) {
          throw new DeliveryError(`${where} failed: this port does not speak TLS: use secure: false (STARTTLS) or port 465`);
        }
        throw new DeliveryError(`${where} failed: ${code ? `${code} ` : ''}${scrub(message.split('\n')[0]!).slice(0, 200)}`);
      } finally {
        transport.close();
      }
    },
  };
}
