import * as z from '../core/zod.js';
import { channelBase, DeliveryError, noInlineSecret, optionalSecret, scrub } from './channel-base.js';
import { htmlOf, subjectOf, textOf } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z.lazy(() =>
  z.strictObject({
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
      passwordFile: z.optional(z.string().check(z.minLength(1))),
      passwordEnv: z.optional(z.string().check(z.minLength(1))),
      password: noInlineSecret('password'),
    }),
    from: z.string().check(z.minLength(3)),
    to: z.array(z.string().check(z.minLength(3))).check(z.minLength(1)),
  }),
);
export type EmailConfig = z.output<typeof schema>;

export function create(config: EmailConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch: AlertBatch) {
      const password = await optionalSecret(config.smtp, 'password', `channels.${config.name}.smtp`, deps.env);
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
        tls: { minVersion: 'TLSv1.2' },
      });
      try {
        await transport.sendMail({ from: config.from, to: config.to, subject: subjectOf(batch), text: textOf(batch), html: htmlOf(batch) });
      } catch (error) {
        const { message, code } = error as Error & { code?: string };
        // The server's answer is quoted: never with the password in it, plain or as sent (AUTH PLAIN/LOGIN).
        const sensitive = password ? [password, Buffer.from(password).toString('base64'), Buffer.from(`\0${config.smtp.user ?? ''}\0${password}`).toString('base64')] : [];
        const said = scrub(message.split('\n')[0]!, sensitive).slice(0, 200);
        throw new DeliveryError(`SMTP ${config.smtp.host}:${config.smtp.port} failed: ${code ? `${code} ` : ''}${said}`);
      } finally {
        transport.close();
      }
    },
  };
}
