import nodemailer, { type Transporter } from 'nodemailer';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { insertOutboxMessage } from './outbox.queries';

export interface EmailMessage {
	to: string;
	subject: string;
	text: string;
}

/** Whether a mail server is set up; without one, emails are kept in the outbox for admins to read. */
export const smtpConfigured = () => Boolean(process.env.SMTP_URL);

/**
 * Writes an email into the outbox inside the transaction of the change that causes it, so the
 * email exists if and only if the change committed. With SMTP_URL set it is queued, and the
 * sender (sender.ts) delivers it; without, the whole message is kept in the outbox, where
 * admins can read it, so nothing silently vanishes in a demo or a test.
 */
export async function queueEmail(trx: Transaction<DB>, message: EmailMessage): Promise<void> {
	await insertOutboxMessage(trx, {
		to_address: message.to,
		subject: message.subject,
		body_text: message.text,
		status: smtpConfigured() ? 'queued' : 'kept'
	});
}

/** Hands one message to the mail server; throws when it is not accepted. */
export type Deliver = (message: EmailMessage) => Promise<void>;

let transporter: { url: string; transport: Transporter } | undefined;

/**
 * Delivers through SMTP_URL. The timeouts keep one send well inside the sender's lease (a
 * claimed message is tried again by anyone once its lease ends), rather than nodemailer's
 * default of up to 10 minutes of silence.
 */
export const deliverBySmtp: Deliver = async (message) => {
	const url = process.env.SMTP_URL;
	if (!url) throw new Error('No mail server is set up (SMTP_URL)');
	if (transporter?.url !== url) {
		transporter = { url, transport: nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 }) };
	}
	const from = process.env.MAIL_FROM || 'Youth Programmes Tracker <no-reply@localhost>';
	await transporter.transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
};
