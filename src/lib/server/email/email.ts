import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db';
import { insertOutboxMessage } from './outbox.queries';

export interface EmailMessage {
	to: string;
	subject: string;
	text: string;
}

let transporter: Transporter | undefined;

function smtpTransport(): Transporter | undefined {
	const url = process.env.SMTP_URL;
	if (!url) return undefined;
	transporter ??= nodemailer.createTransport(url);
	return transporter;
}

const from = () => process.env.MAIL_FROM || 'Youth Programmes Tracker <no-reply@localhost>';

/**
 * Sends over SMTP when SMTP_URL is set; otherwise keeps the whole message in the outbox, where
 * admins can read it, so nothing silently vanishes in a demo or a test. Either way the outbox
 * records that a message went (a sent message's body, which may hold a sign-in link, is not kept).
 * Call it after the transaction that caused the message has committed.
 */
export async function sendEmail(db: Db, message: EmailMessage): Promise<void> {
	const transport = smtpTransport();
	if (!transport) {
		await insertOutboxMessage(db, { to_address: message.to, subject: message.subject, body_text: message.text, status: 'kept' });
		return;
	}
	try {
		await transport.sendMail({ from: from(), to: message.to, subject: message.subject, text: message.text });
		await insertOutboxMessage(db, { to_address: message.to, subject: message.subject, body_text: null, status: 'sent' });
	} catch (error) {
		await insertOutboxMessage(db, {
			to_address: message.to,
			subject: message.subject,
			body_text: null,
			status: 'failed',
			error: (error as Error).message.slice(0, 500)
		});
	}
}
