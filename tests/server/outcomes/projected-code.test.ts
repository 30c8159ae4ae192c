import QRCode from 'qrcode';
import { describe, expect, it, vi } from 'vitest';
import { getProjectedSessionCode, openSessionCode } from '../../../src/lib/server/outcomes/outcomes.service';
import { QR_OPTIONS, sessionCodeAddress, sessionCodeQrSvg } from '../../../src/lib/server/outcomes/session-code-qr';
import { createLedProgramme } from '../../support/booking-world';
import { useTestDatabase } from '../../support/database';
import { auditEvents, makeActor } from '../../support/factories';
import { makeOutcomesWorld, SESSION_DAY } from '../../support/outcomes-world';

// The session code put up in the hall: its QR code holds the public form's address with the
// code filled in, and only the session's lead or an admin may open the page.

vi.mock('../../../src/lib/server/reports/rollups', async (importOriginal) => ({
	...(await importOriginal<typeof import('../../../src/lib/server/reports/rollups')>()),
	reportFiguresChanged: vi.fn()
}));

const t = useTestDatabase();

describe('the QR code of a session code', () => {
	it('holds the public form’s address with the code filled in', async () => {
		const address = sessionCodeAddress('https://tracker.example.org', 'HFEQB4');
		expect(address).toBe('https://tracker.example.org/q?code=HFEQB4');
		// What the QR code encodes, read back from the library's own model of it.
		const encoded = QRCode.create(address, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel }).segments.map((s) => {
			const data: unknown = s.data;
			return typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
		});
		expect(encoded.join('')).toBe(address);
		const svg = await sessionCodeQrSvg(address);
		expect(svg).toBe(await QRCode.toString(address, QR_OPTIONS));
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
		// Drawn with attributes only: no style element or script for the CSP to refuse.
		expect(svg).not.toMatch(/<style|<script|style=/);
		// Another code draws another QR code.
		expect(await sessionCodeQrSvg(sessionCodeAddress('https://tracker.example.org', 'HFEQB5'))).not.toBe(svg);
	});
});

describe('the projected code page', () => {
	it('shows the lead the open code, and nothing before one is opened', async () => {
		const world = await makeOutcomesWorld(t.db);
		expect((await getProjectedSessionCode(t.db, world.lead, world.sessionId, SESSION_DAY)).openCode).toBeUndefined();
		const opened = await openSessionCode(t.db, world.lead, world.sessionId, '120', SESSION_DAY);
		if (!opened.ok) throw new Error('opening the code failed');
		const { openCode } = await getProjectedSessionCode(t.db, world.admin, world.sessionId, SESSION_DAY);
		expect(openCode?.code).toMatch(/^[A-Z0-9]{6}$/);
	});

	it('is a 404 for a school contact and another programme’s lead, audited', async () => {
		const world = await makeOutcomesWorld(t.db);
		const contact = await makeActor(t.db, { role: 'school' });
		const otherLead = (await createLedProgramme(t.db)).lead;
		for (const actor of [contact, otherLead]) {
			await expect(getProjectedSessionCode(t.db, actor, world.sessionId, SESSION_DAY)).rejects.toMatchObject({ status: 404 });
		}
		expect((await auditEvents(t.db, 'access.refused')).filter((e) => e.actor_id === otherLead.id)).toHaveLength(1);
	});
});
